import {formatUsd} from '../core/report/format.js';
import {addDays, localDate, parseLocalDate, startOfLocalDate, zoneLabel} from '../core/time/zone.js';
import {EXIT} from '../runtime/exit-codes.js';
import {repriceRange} from '../store/reprice.js';
import {usageError} from './common.js';
import type {PricesContext} from './prices.js';
import {safeJson} from '../core/text/safe-text.js';

/**
 * `prices reprice --since YYYY-MM-DD [--until YYYY-MM-DD] [--dry-run]`: the requests of those
 * local days, priced again with the prices in use now, and their rollups updated by what changed.
 */
export function runReprice({config, db, prices, flags, args, io}: PricesContext): number {
	if (args.length > 0) return usageError(io, `prices reprice takes no arguments (got ${JSON.stringify(args[0])}); give the days with --since and --until`);
	if (!flags.since) return usageError(io, 'prices reprice needs --since YYYY-MM-DD (the first local day to re-price)');
	const since = parseLocalDate(flags.since);
	if (!since) return usageError(io, `--since must be a date as YYYY-MM-DD (got ${JSON.stringify(flags.since)})`);
	const now = Date.now();
	const untilText = flags.until ?? localDate(config.zone, now);
	const until = parseLocalDate(untilText);
	if (!until) return usageError(io, `--until must be a date as YYYY-MM-DD (got ${JSON.stringify(flags.until)})`);
	const start = startOfLocalDate(config.zone, since);
	const end = startOfLocalDate(config.zone, addDays(until, 1));
	if (end <= start) return usageError(io, `--until (${untilText}) is before --since (${flags.since})`);

	const result = repriceRange(db!, prices.book, config.zone, start, end, {dryRun: flags.dryRun ?? false});
	if (flags.json) {
		io.stdout(`${safeJson({since: flags.since, until: untilText, zone: zoneLabel(config.zone), ...result}, 2)}\n`);
		return EXIT.ok;
	}
	const what = result.dryRun ? 'Would re-price' : 'Re-priced';
	io.stdout(`${what} ${result.requests.toLocaleString('en-US')} requests from ${flags.since} to ${untilText} (${zoneLabel(config.zone)}), ${result.changed.toLocaleString('en-US')} of them changed`);
	io.stdout(result.counterDeltas > 0 ? `, and ${result.counterDeltas} legacy counter deltas.\n` : '.\n');
	io.stdout(`Cost ${formatUsd(result.before.costUsd)} → ${formatUsd(result.after.costUsd)}; requests with estimated costs ${result.before.estimatedRequests} → ${result.after.estimatedRequests}.\n`);
	io.stdout(
		result.dryRun
			? 'Nothing was written (--dry-run).\n'
			: result.days.length === 0
				? 'No cost changed.\n'
				: `Updated the totals of ${result.days.length} day${result.days.length === 1 ? '' : 's'} (${result.days[0]} to ${result.days.at(-1)}).\n`,
	);
	return EXIT.ok;
}
