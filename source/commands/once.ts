import {createServices} from '../app/services.js';
import type {Config} from '../core/config.js';
import type {CollectorStatus} from '../collector/status.js';
import {localDate, zoneLabel} from '../core/time/zone.js';
import {EXIT} from '../runtime/exit-codes.js';
import {createLogger, humanSink} from '../runtime/logger.js';
import {dayTotalsJson, readDayTotals} from '../store/usage-queries.js';
import {ESTIMATE_MARK, formatEstimatedUsd, formatTokens} from '../core/report/format.js';
import {safeJson, safeOr, safeText} from '../core/text/safe-text.js';

function instanceJson(s: CollectorStatus) {
	return {
		name: s.instance ?? '',
		url: s.source.url,
		ok: s.lastError === null,
		error: s.lastError?.message ?? null,
		backend: s.source.active,
		cpa_version: s.source.cpaVersion,
		collected: {received: s.totals.received, inserted: s.totals.inserted, duplicates: s.totals.duplicates, skipped: s.totals.skipped},
	};
}

export type OnceOptions = {json: boolean; stdout: (s: string) => void; stderr: (s: string) => void};

/** `--once [--json]`: one collection pass, a summary, and an exit code that says how it went. */
export async function runOnce(config: Config, options: OnceOptions): Promise<number> {
	// The pass's own failure is printed once, at the end; the collector's retry talk does not apply.
	const human = humanSink(options.stderr);
	const logger = createLogger({
		level: config.logLevel === 'info' ? 'warn' : config.logLevel,
		sink: entry => {
			if (entry.msg !== 'collection pass failed; will retry' && entry.msg !== 'collection stopped') human(entry);
		},
		secrets: [...config.instances.map(i => i.managementKey), config.apiToken],
	});
	const services = createServices(config, {logger, oneShot: true});
	try {
		const pass = await services.collector.trigger();
		const status = services.collector.status();
		const instances = status.instances ?? [status];
		const several = instances.length > 1;
		const now = services.now();
		const today = readDayTotals(services.db, config.zone, localDate(config.zone, now));
		if (options.json) {
			options.stdout(
				`${safeJson(
					{
						ok: pass.ok,
						error: pass.error ?? null,
						source: {
							url: status.source.url,
							mode: status.source.mode,
							backend: status.source.active,
							reason: status.source.reason,
							cpa_version: status.source.cpaVersion,
							usage_statistics_enabled: status.source.usageStatisticsEnabled,
						},
						collected: {received: pass.received, inserted: pass.inserted, duplicates: pass.received - pass.inserted - pass.skipped, skipped: pass.skipped},
						today: dayTotalsJson(today, zoneLabel(config.zone)),
						warnings: status.warnings,
						// Several CPAs: each one's pass (the fields above are the first one's source and the sum of all).
						...(several ? {instances: instances.map(instanceJson)} : {}),
					},
					2,
				)}\n`,
			);
		} else {
			const s = status.source;
			if (several) {
				for (const i of instances) {
					const t = i.totals;
					options.stdout(
						i.lastError
							? `CPA ${safeText(i.instance ?? '')} (${i.source.url}): failed: ${safeText(i.lastError.message)}\n`
							: `CPA ${safeText(i.instance ?? '')} (${i.source.url}) · ${safeOr(i.source.cpaVersion, 'version', 'unknown version')} · ${i.source.active}: ${t.inserted} new, ${t.duplicates} already stored, ${t.skipped} malformed skipped\n`,
					);
				}
			} else if (pass.ok) {
				// The version and the reason quote CPA's version header.
				options.stdout(`CPA ${s.url} · ${safeOr(s.cpaVersion, 'version', 'unknown version')} · ${s.active} (${safeText(s.reason ?? '')})\n`);
				options.stdout(`Collected ${pass.inserted} new request${pass.inserted === 1 ? '' : 's'} (${pass.received - pass.inserted - pass.skipped} already stored, ${pass.skipped} malformed skipped)\n`);
			}
			const n = today.estimatedRequests;
			const estimated = n > 0 ? `; ${ESTIMATE_MARK} ${n} request${n === 1 ? '' : 's'} with estimated costs (cliproxy-usage prices show says why)` : '';
			const failed = today.failureCount - today.rateLimited - today.cancelled;
			const failures = [failed > 0 ? `${failed} failed` : '', today.rateLimited > 0 ? `${today.rateLimited} rate-limited` : '', today.cancelled > 0 ? `${today.cancelled} cancelled` : ''].filter(Boolean);
			options.stdout(
				`Today ${today.date} (${zoneLabel(config.zone)}): ${today.requests} requests${failures.length > 0 ? ` (${failures.join(', ')})` : ''}, ${formatTokens(today.tokens)} tokens, ${formatEstimatedUsd(today.costUsd, n)}${estimated}\n`,
			);
			for (const w of status.warnings) options.stderr(`warning: ${safeText(w)}\n`);
		}
		if (!pass.ok) {
			options.stderr(`cliproxy-usage: ${safeText(pass.error ?? 'collection failed')}\n`);
			return EXIT.failure;
		}
		return EXIT.ok;
	} finally {
		await services.cleanup.run();
	}
}
