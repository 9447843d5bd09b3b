import {accountJson} from '../accounts/account-json.js';
import {readAccountViews} from '../accounts/read-accounts.js';
import type {AccountView} from '../core/quota/account-view.js';
import {describeAge, describeKind, describeState, describeWindow, shownLabel, withInstanceLabels} from '../core/quota/describe.js';
import {formatInt, formatUsd} from '../core/report/format.js';
import {renderTable, type TableColumn} from '../core/report/text-table.js';
import {PERIOD_LABELS, PERIODS, type Period} from '../core/time/periods.js';
import {EXIT} from '../runtime/exit-codes.js';
import {openDatabase} from '../store/database.js';
import {parseArgs} from './args.js';
import {CONFIG_FLAGS, CONFIG_FLAGS_HELP, loadConfig, usageError, type CliIO} from './common.js';
import {terminalWidth} from './terminal.js';

const HELP = `
	Usage
	  $ cliproxy-usage accounts [--period today|yesterday|7d|30d] [--json]

	Every credential CPA serves from (its auth_index), labelled from CPA's /auth-files (the
	e-mail or file name, never a key), with its state (active, cooling down until, disabled,
	error), its requests, failures, 429s and cost for the period, and the provider's own quota
	windows (Claude 5h and weekly, Codex 5h, weekly, monthly, Spark …) with where each figure came
	from and how old it is. Read from the database the collector writes; safe while it runs.

	Options
	  --period P   today (default), yesterday, 7d or 30d, in the configured zone
	  --json       the same as GET /api/data/accounts
${CONFIG_FLAGS_HELP}

	Examples
	  $ cliproxy-usage accounts
	  $ cliproxy-usage accounts --period 7d --json
`;

const COLUMNS: TableColumn[] = [
	{header: 'Account', align: 'left', priority: 9, maxWidth: 36},
	{header: 'Kind', align: 'left', priority: 4, maxWidth: 20},
	{header: 'State', align: 'left', priority: 8, maxWidth: 40},
	{header: 'Official windows', align: 'left', priority: 7},
	{header: 'Requests', align: 'right', priority: 6},
	{header: 'Failed', align: 'right', priority: 3},
	{header: '429s', align: 'right', priority: 5},
	{header: 'Cost (USD)', align: 'right', priority: 6},
];

export async function run(argv: string[], io: CliIO): Promise<number> {
	const cli = parseArgs(argv, {command: 'accounts', help: {'': HELP}, flags: {period: {type: 'string'}, json: {type: 'boolean'}, ...CONFIG_FLAGS}, examples: {period: '7d'}}, io);
	if (typeof cli === 'number') return cli;
	const {flags} = cli;
	if (cli.input.length > 0) return usageError(io, `accounts takes no arguments (got "${cli.input[0]}"). Run cliproxy-usage accounts --help.`);
	const period = (flags.period ?? 'today') as Period;
	if (!PERIODS.includes(period)) return usageError(io, `accounts: --period must be one of ${PERIODS.join(', ')} (got "${flags.period}")`);
	const config = loadConfig(flags, io);
	if (typeof config === 'number') return config;
	const db = openDatabase(config.dbPath, {readonly: true});
	try {
		const now = Date.now();
		const accounts = readAccountViews(db, config.zone, period, now, undefined, config.instances[0]!.name);
		if (flags.json) {
			io.stdout(`${JSON.stringify(accounts.map(accountJson), null, 2)}\n`);
			return EXIT.ok;
		}
		if (accounts.length === 0) {
			io.stdout('No accounts yet: they appear once the collector has seen requests or read CPA\'s /auth-files (cliproxy-usage --headless, or the dashboard).\n');
			return EXIT.ok;
		}
		io.stdout(`Accounts · ${PERIOD_LABELS[period]}\n`);
		io.stdout(renderTable(COLUMNS, withInstanceLabels(accounts).map(a => row(a, now)), {maxWidth: terminalWidth()}).text);
		io.stdout('Windows are the providers\' own (from response headers, CPA errors or the quota endpoints), with the age of the last figure; ↻ is the reset.\n');
		return EXIT.ok;
	} finally {
		db.close();
	}
}

function row(a: AccountView, now: number): string[] {
	const windows = a.quotas.map(q => `${describeWindow(q, now)} · ${q.source}, ${describeAge(q.ageMs)}`).join('\n') || '–';
	return [shownLabel(a), describeKind(a), describeState(a, now), windows, formatInt(a.usage.requests), formatInt(a.usage.failed - a.usage.rateLimited - a.usage.cancelled), formatInt(a.usage.rateLimited), formatUsd(a.usage.costUsd)];
}
