import type {CpaClient} from '../cliproxy/client.js';
import {CpaNotFoundError} from '../cliproxy/errors.js';
import type {SourceMode} from '../core/config.js';
import {formatCpaVersion, hasSubscribe, verdictForVersion, type BackendName} from '../core/cpa/cpa-version.js';

/** `noSubscribe`: the RESP backend must never send SUBSCRIBE (this CPA has none), only drain. */
export type Selection = {backend: BackendName; reason: string; statisticsEnabled: boolean | null; noSubscribe?: string};

/**
 * Asks CPA who it is (`X-CPA-VERSION` on `/usage-statistics-enabled`) and picks the backend.
 * `prefer` is what `auto` uses on servers with a usage queue (RESP once it is available).
 * `auto` never subscribes where CPA has no SUBSCRIBE (before v7.0.7), and without a version
 * header (a reverse proxy that strips it) it asks whether `/usage-queue` exists before
 * concluding that the management API is off.
 */
export async function selectBackend(mode: SourceMode, client: CpaClient, prefer: 'queue' | 'resp' = 'queue'): Promise<Selection> {
	const statisticsEnabled = await client.statisticsEnabled();
	const version = formatCpaVersion(client.version);
	if (mode !== 'auto') return {backend: mode, reason: `COLLECTOR_SOURCE=${mode} (CPA ${version})`, statisticsEnabled};
	switch (verdictForVersion(client.version)) {
		case 'legacy':
			return {backend: 'legacy', reason: `auto: CPA ${version} predates v6.10, so it keeps cumulative /usage`, statisticsEnabled};
		case 'queue':
			if (prefer === 'resp' && !hasSubscribe(client.version)) {
				return {backend: 'queue', reason: `auto: CPA ${version} has the usage queue (v6.10.8+) but no RESP SUBSCRIBE (v7.0.7+), so it is drained over HTTP`, statisticsEnabled};
			}
			return {backend: prefer, reason: `auto: CPA ${version} has the usage queue (v6.10.8+)${viaResp(prefer)}`, statisticsEnabled};
		case 'resp-only':
			return {
				backend: 'resp',
				reason: `auto: CPA ${version} (v6.10.0–6.10.7) offers usage only over RESP, with LPOP (it has no SUBSCRIBE)`,
				statisticsEnabled,
				noSubscribe: `CPA ${version} has no SUBSCRIBE`,
			};
		case 'probe':
			try {
				await client.getUsage();
				return {backend: 'legacy', reason: `auto: CPA ${version} answers /usage, so it keeps cumulative counters`, statisticsEnabled};
			} catch (error) {
				if (!(error instanceof CpaNotFoundError)) throw error;
				if (!error.managementDisabled) {
					return {backend: prefer, reason: `auto: CPA ${version} has no /usage (404), so it has the usage queue${viaResp(prefer)}`, statisticsEnabled};
				}
				// No version header on a 404: the management API is off, or a proxy strips the header.
				if (await client.hasUsageQueue()) {
					return {
						backend: 'queue',
						reason: 'auto: CPA sent no X-CPA-VERSION header (a reverse proxy may strip it), but /usage-queue answers, so it is drained over HTTP',
						statisticsEnabled,
					};
				}
				throw error;
			}
	}
}

function viaResp(prefer: 'queue' | 'resp'): string {
	return prefer === 'resp' ? ', read live over RESP (SUBSCRIBE usage)' : '';
}
