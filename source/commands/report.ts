import {periodRows, sumPeriods} from '../core/report/period-report.js';
import {ESTIMATED_NOTE, modelsCsv, modelsTable, periodCsv, periodJson, periodTable, sumModels} from '../core/report/report-format.js';
import {DateRangeError, parseDateRange, type DateRange, type PeriodKind} from '../core/report/report-range.js';
import {zoneLabel} from '../core/time/zone.js';
import {EXIT} from '../runtime/exit-codes.js';
import {openDatabase} from '../store/database.js';
import {dailyDateSpan, readDailyStats} from '../store/daily-stats.js';
import {readModelTotals} from '../store/model-totals.js';
import wrapAnsi from 'wrap-ansi';
import {parseArgs} from './args.js';
import {CONFIG_FLAGS, CONFIG_FLAGS_HELP, loadConfig, usageError, type CliIO} from './common.js';
import {terminalWidth} from './terminal.js';
import {safeJson, safeText} from '../core/text/safe-text.js';
import {instanceScope, UnknownInstanceError, type InstanceScope} from '../store/instance-scope.js';

const HELP = `
	Usage
	  $ cliproxy-usage report daily|weekly|monthly|models [--since D] [--until D] [--model P] [--instance NAME] [--json|--csv]

	Usage per local day, week (Monday to Sunday), month, or per model, from the database the
	collector writes. Safe while the collector runs.

	Options
	  --since YYYY-MM-DD   first day to include (in the configured zone)
	  --until YYYY-MM-DD   last day to include
	  --model PATTERN      only models whose name contains PATTERN (case-insensitive)
	  --instance NAME      only the CPA of that name (several CPAs: NAME= in CLIPROXY_URL, else host:port)
	  --json               JSON: daily gives daily_stats rows in the original collector's shape
	  --csv                CSV with a header row (RFC 4180)
${CONFIG_FLAGS_HELP}

	Days are those of the zone this command runs in, whatever zone the collector used. Tokens:
	Input (uncached), Cache Read, Cache Write, Output (reasoning included), Reasoning (of which),
	Total as CPA reports it. With several CPAs in the database, models rows say their instance,
	daily rows add breakdown.instances and weekly/monthly rows an instances list; totals are across all.
	 Failed: the upstream's failures; 429s and client cancels (499/504)
	have columns of their own. Costs marked ~ include estimated requests. A narrow terminal gets
	fewer columns.

	Exit codes: 0 ok, 1 the database cannot be read, 2 bad usage.

	Examples
	  $ cliproxy-usage report daily --since 2026-11-01
	  $ cliproxy-usage report weekly --model sonnet
	  $ cliproxy-usage report monthly --csv > monthly.csv
	  $ cliproxy-usage report models --since 2026-11-01 --until 2026-11-30 --json
	  $ cliproxy-usage report daily --json --db ./data/collector.db
`;

const KINDS = ['daily', 'weekly', 'monthly', 'models'] as const;
type Kind = (typeof KINDS)[number];

export async function run(argv: string[], io: CliIO): Promise<number> {
	const cli = parseArgs(
		argv,
		{
			command: 'report',
			help: {'': HELP},
			subcommands: KINDS,
			flags: {since: {type: 'string'}, until: {type: 'string'}, model: {type: 'string'}, instance: {type: 'string'}, json: {type: 'boolean'}, csv: {type: 'boolean'}, ...CONFIG_FLAGS},
		},
		io,
	);
	if (typeof cli === 'number') return cli;
	const {flags} = cli;
	const [kind, ...extra] = cli.input;
	if (kind === undefined) return usageError(io, 'report needs a kind: daily, weekly, monthly or models (see cliproxy-usage report --help).');
	if (!(KINDS as readonly string[]).includes(kind)) return usageError(io, `report kind must be daily, weekly, monthly or models (got ${JSON.stringify(kind)}).`);
	if (extra.length > 0) return usageError(io, `report takes one kind; unexpected ${JSON.stringify(extra[0])}.`);
	if (flags.json && flags.csv) return usageError(io, '--json and --csv cannot be combined: pick one.');
	if (flags.model !== undefined && flags.model.trim() === '') return usageError(io, '--model needs a pattern, such as --model sonnet.');
	if (flags.instance !== undefined && flags.instance.trim() === '') return usageError(io, '--instance needs a name, such as --instance team.');
	let range: DateRange;
	try {
		range = parseDateRange(flags.since, flags.until);
	} catch (error) {
		if (error instanceof DateRangeError) return usageError(io, `${error.message}.`);
		throw error;
	}
	const config = loadConfig(flags, io);
	if (typeof config === 'number') return config;

	const db = openDatabase(config.dbPath, {readonly: true});
	try {
		let scope: InstanceScope;
		try {
			scope = instanceScope(db, config.instances[0]!.name, flags.instance?.trim());
		} catch (error) {
			if (error instanceof UnknownInstanceError) return usageError(io, `--instance: ${safeText(error.message)}.`);
			throw error;
		}
		const format = flags.json ? 'json' : flags.csv ? 'csv' : 'table';
		const width = terminalWidth();
		const heading = (what: string, first: string | undefined, last: string | undefined) =>
			fit(`${what} · ${range.from ?? first ?? '…'} – ${range.to ?? last ?? '…'} · ${zoneLabel(config.zone)}${flags.model ? ` · models matching "${flags.model}"` : ''}${flags.instance ? ` · instance ${safeText(flags.instance)}` : ''}`, width);
		if ((kind as Kind) === 'models') {
			const rows = readModelTotals(db, config.zone, range, flags.model, scope);
			if (format === 'json') io.stdout(`${safeJson(rows, 2)}\n`);
			else if (format === 'csv') io.stdout(modelsCsv(rows));
			else {
				const span = dailyDateSpan(db, config.zone);
				io.stdout(heading('Usage by model', span?.first, span?.last));
				if (rows.length === 0) io.stdout('No usage recorded in this range.\n');
				else printTable(io, modelsTable(rows, width), sumModels(rows).estimated_requests, width);
			}
			return EXIT.ok;
		}
		const period = kind as PeriodKind;
		const days = readDailyStats(db, config.zone, range, Date.now(), flags.model, scope);
		const rows = periodRows(period, days, range);
		if (format === 'json') io.stdout(periodJson(period, days, rows));
		else if (format === 'csv') io.stdout(periodCsv(period, rows));
		else {
			const what = {daily: 'Daily usage', weekly: 'Weekly usage', monthly: 'Monthly usage'}[period];
			io.stdout(heading(what, days[0]?.stat_date, days.at(-1)?.stat_date));
			if (rows.length === 0) io.stdout('No usage recorded in this range.\n');
			else printTable(io, periodTable(period, rows, width), sumPeriods(rows).estimated_requests, width);
		}
		return EXIT.ok;
	} finally {
		db.close();
	}
}

function printTable(io: CliIO, table: {text: string; hidden: string[]}, estimated: number, width: number | undefined): void {
	io.stdout(table.text);
	if (estimated > 0) io.stdout(fit(ESTIMATED_NOTE(estimated), width));
	if (table.hidden.length > 0) io.stdout(fit(`Narrow terminal: ${table.hidden.join(', ')} not shown; widen it, or use --json or --csv for every column.`, width));
}

/** A line of prose, wrapped at word boundaries to the terminal's width (as is when piped). */
function fit(text: string, width: number | undefined): string {
	return `${width ? wrapAnsi(text, width, {hard: true, trim: true}) : text}\n`;
}
