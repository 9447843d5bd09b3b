import type {CpaClient} from '../cliproxy/client.js';
import {CpaNotFoundError} from '../cliproxy/errors.js';
import type {SourceMode} from '../core/config.js';
import {formatCpaVersion, verdictForVersion, type BackendName} from '../core/cpa/cpa-version.js';

export type Selection = {backend: BackendName; reason: string; statisticsEnabled: boolean | null};

/**
 * Asks CPA who it is (`X-CPA-VERSION` on `/usage-statistics-enabled`) and picks the backend.
 * `prefer` is what `auto` uses on servers with a usage queue (RESP once it is available).
 */
export async function selectBackend(mode: SourceMode, client: CpaClient, prefer: 'queue' | 'resp' = 'queue'): Promise<Selection> {
	const statisticsEnabled = await client.statisticsEnabled();
	const version = formatCpaVersion(client.version);
	if (mode !== 'auto') return {backend: mode, reason: `COLLECTOR_SOURCE=${mode} (CPA ${version})`, statisticsEnabled};
	switch (verdictForVersion(client.version)) {
		case 'legacy':
			return {backend: 'legacy', reason: `auto: CPA ${version} predates v6.10, so it keeps cumulative /usage`, statisticsEnabled};
		case 'queue':
			return {backend: prefer, reason: `auto: CPA ${version} has the usage queue (v6.10.8+)${viaResp(prefer)}`, statisticsEnabled};
		case 'resp-only':
			return {backend: 'resp', reason: `auto: CPA ${version} (v6.10.0–6.10.7) offers usage only over RESP`, statisticsEnabled};
		case 'probe':
			try {
				await client.getUsage();
				return {backend: 'legacy', reason: `auto: CPA ${version} answers /usage, so it keeps cumulative counters`, statisticsEnabled};
			} catch (error) {
				if (error instanceof CpaNotFoundError && !error.managementDisabled) {
					return {backend: prefer, reason: `auto: CPA ${version} has no /usage (404), so it has the usage queue${viaResp(prefer)}`, statisticsEnabled};
				}
				throw error;
			}
	}
}

function viaResp(prefer: 'queue' | 'resp'): string {
	return prefer === 'resp' ? ', read live over RESP (SUBSCRIBE usage)' : '';
}
