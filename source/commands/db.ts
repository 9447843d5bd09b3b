import {existsSync, mkdirSync, realpathSync, statSync} from 'node:fs';
import {basename, dirname, join, resolve} from 'node:path';
import {formatBytes} from '../core/report/format.js';
import {retentionCutoff} from '../core/time/retention.js';
import {localDate, zoneLabel} from '../core/time/zone.js';
import type {Config} from '../core/config.js';
import {EXIT} from '../runtime/exit-codes.js';
import {backupDatabase} from '../store/backup.js';
import {openDatabase} from '../store/database.js';
import {pruneRawRows} from '../store/retention.js';
import {parseArgs, type HelpTexts} from './args.js';
import {CONFIG_FLAGS, CONFIG_FLAGS_HELP, loadConfig, usageError, type CliIO} from './common.js';
import {printStats} from './db-stats.js';

const HELP = `
	Usage
	  $ cliproxy-usage db backup FILE [--force]
	  $ cliproxy-usage db stats [--json]
	  $ cliproxy-usage db vacuum
	  $ cliproxy-usage db prune --older-than DAYS [--dry-run]

	Commands (each has its own --help: cliproxy-usage db prune --help)
	  backup FILE   a consistent copy of the database (SQLite's online backup), taken while the
	                collector writes, checked, and written as FILE only once complete
	  stats         file and WAL size, rows per table, the time span of the data, schema version
	  vacuum        rewrite the file to return free space to the system
	  prune         delete raw request rows older than DAYS days; the rollups (and so the
	                reports) stay
${CONFIG_FLAGS_HELP}

	Exit codes: 0 ok, 1 the database cannot be read or written, 2 bad usage.

	Examples
	  $ cliproxy-usage db stats
	  $ cliproxy-usage db backup backups/collector-$(date +%F).db
	  $ cliproxy-usage db prune --older-than 90 --dry-run
	  $ cliproxy-usage db prune --older-than 90 && cliproxy-usage db vacuum
`;

const HELPS: HelpTexts = {
	'': HELP,
	backup: `
	Usage
	  $ cliproxy-usage db backup FILE [--force]

	A consistent copy of the database, taken with SQLite's online backup API while the collector
	writes: every request committed before the backup began, rollups agreeing with the rows.
	The copy is checked (PRAGMA quick_check), written beside FILE and renamed onto it only when
	whole, mode 0600, as one self-contained file. To restore: stop the collector, copy the backup
	to DB_PATH.

	Options
	  --force   replace FILE if it exists
${CONFIG_FLAGS_HELP}

	Exit codes: 0 ok, 1 the database cannot be read or FILE cannot be written, 2 bad usage.

	Examples
	  $ cliproxy-usage db backup backups/collector-$(date +%F).db
	  $ cliproxy-usage db backup collector-copy.db --force
`,
	stats: `
	Usage
	  $ cliproxy-usage db stats [--json]

	File and WAL size, free space inside the file, schema version, rows per table, the first and
	last stored request, the days the rollups cover, and how far raw rows were pruned. Opens the
	database read-only: safe while the collector runs.

	Options
	  --json    print JSON
${CONFIG_FLAGS_HELP}

	Exit codes: 0 ok, 1 the database cannot be read, 2 bad usage.

	Examples
	  $ cliproxy-usage db stats
	  $ cliproxy-usage db stats --json
`,
	vacuum: `
	Usage
	  $ cliproxy-usage db vacuum

	Rewrites the file to hand free pages (after db prune) back to the system. Writers wait while
	it runs, a collector at most 5 s: a longer vacuum fails the collector's pass, and a page it
	had already popped from CPA's usage queue is lost. On a database of more than a few hundred
	MB, stop the collector first.
${CONFIG_FLAGS_HELP}

	Exit codes: 0 ok, 1 the database cannot be read or written, 2 bad usage.

	Examples
	  $ cliproxy-usage db vacuum
	  $ cliproxy-usage db prune --older-than 90 && cliproxy-usage db vacuum
`,
	prune: `
	Usage
	  $ cliproxy-usage db prune --older-than DAYS [--dry-run]

	Deletes raw request rows (and legacy counter deltas) from before local midnight DAYS days
	ago, one local day per transaction. The hourly and daily rollups stay, so daily, weekly,
	monthly and per-model reports over those days read the same; the single requests from then
	(latency, client key, source) are gone. DAYS is at least 7: rate-limit windows read the last
	week's rows. db vacuum returns the freed pages to the system.

	Options
	  --older-than DAYS   days of raw rows to keep (at least 7)
	  --dry-run           count what would go, delete nothing
${CONFIG_FLAGS_HELP}

	Exit codes: 0 ok, 1 the database cannot be read or written, 2 bad usage.

	Examples
	  $ cliproxy-usage db prune --older-than 90 --dry-run
	  $ cliproxy-usage db prune --older-than 180
`,
};

const SUBCOMMANDS = ['backup', 'stats', 'vacuum', 'prune'] as const;
type Sub = (typeof SUBCOMMANDS)[number];
const FLAG_OF: Record<string, Sub> = {force: 'backup', json: 'stats', olderThan: 'prune', dryRun: 'prune'};
const FLAG_NAME: Record<string, string> = {force: '--force', json: '--json', olderThan: '--older-than', dryRun: '--dry-run'};

/** Raw rows of the last week back the rate-limit windows (daily, weekly, rolling up to 7 days). */
export const MIN_RETENTION_DAYS = 7;

export async function run(argv: string[], io: CliIO): Promise<number> {
	const cli = parseArgs(
		argv,
		{command: 'db', help: HELPS, flags: {force: {type: 'boolean'}, json: {type: 'boolean'}, olderThan: {type: 'string'}, dryRun: {type: 'boolean'}, ...CONFIG_FLAGS}},
		io,
	);
	if (typeof cli === 'number') return cli;
	const {flags} = cli;
	const [sub, ...args] = cli.input;
	if (sub === undefined) return usageError(io, 'db needs a command: backup FILE, stats, vacuum or prune (see cliproxy-usage db --help).');
	if (!(SUBCOMMANDS as readonly string[]).includes(sub)) return usageError(io, `db command must be backup, stats, vacuum or prune (got ${JSON.stringify(sub)}).`);
	for (const [flag, owner] of Object.entries(FLAG_OF)) {
		if (flags[flag as keyof typeof flags] !== undefined && owner !== sub) return usageError(io, `${FLAG_NAME[flag]} applies to db ${owner}, not db ${sub}.`);
	}
	if (sub === 'backup' ? args.length !== 1 : args.length !== 0) {
		return usageError(io, sub === 'backup' ? 'db backup needs exactly one FILE to write, such as db backup backup.db.' : `db ${sub} takes no arguments; unexpected ${JSON.stringify(args[0])}.`);
	}
	let days = 0;
	if (sub === 'prune') {
		const raw = flags.olderThan;
		if (raw === undefined) return usageError(io, `db prune needs --older-than DAYS (at least ${MIN_RETENTION_DAYS}), such as --older-than 90.`);
		if (!/^\d+$/.test(raw) || Number(raw) < MIN_RETENTION_DAYS) {
			return usageError(io, `--older-than must be a whole number of days, at least ${MIN_RETENTION_DAYS}: rate-limit windows read the last week's rows (got ${JSON.stringify(raw)}).`);
		}
		days = Number(raw);
	}
	const config = loadConfig(flags, io);
	if (typeof config === 'number') return config;

	switch (sub as Sub) {
		case 'backup':
			return backup(config, args[0]!, flags.force ?? false, io);
		case 'stats': {
			const db = openDatabase(config.dbPath, {readonly: true});
			try {
				printStats(db, config, flags.json ?? false, io);
			} finally {
				db.close();
			}
			return EXIT.ok;
		}
		case 'vacuum':
			return vacuum(config, io);
		case 'prune':
			return prune(config, days, flags.dryRun ?? false, io);
	}
}

async function backup(config: Config, file: string, force: boolean, io: CliIO): Promise<number> {
	const live = resolve(config.dbPath);
	const dest = resolve(file);
	const real = (p: string) => (existsSync(p) ? realpathSync(p) : existsSync(dirname(p)) ? join(realpathSync(dirname(p)), basename(p)) : p);
	const liveReal = real(live);
	if ([liveReal, `${liveReal}-wal`, `${liveReal}-shm`, `${liveReal}-journal`].includes(real(dest))) {
		return usageError(io, `${dest} is the live database (or one of its files): back up to another path.`);
	}
	if (existsSync(dest) && !force) return usageError(io, `${dest} already exists: choose another FILE, or pass --force to replace it.`);
	if (existsSync(dest) && statSync(dest).isDirectory()) return usageError(io, `${dest} is a directory: name the backup file, such as ${join(dest, 'collector.db')}.`);
	const db = openDatabase(live, {readonly: true});
	try {
		mkdirSync(dirname(dest), {recursive: true, mode: 0o700});
		await backupDatabase(db, dest);
		const requests = (db.prepare('SELECT count(*) AS n FROM requests').get() as {n: number}).n;
		io.stdout(`Backed up ${live} to ${dest}: ${formatBytes(statSync(dest).size)}, ${requests.toLocaleString('en-US')} requests at the time of the copy, integrity check ok.\n`);
		return EXIT.ok;
	} finally {
		db.close();
	}
}

function vacuum(config: Config, io: CliIO): number {
	const db = openDatabase(config.dbPath);
	const file = resolve(config.dbPath);
	const size = () => statSize(file) + statSize(`${file}-wal`);
	try {
		const before = size();
		db.exec('VACUUM');
		db.pragma('wal_checkpoint(TRUNCATE)');
		io.stdout(`Vacuumed ${file}: ${formatBytes(before)} → ${formatBytes(size())} (file and WAL).\n`);
		return EXIT.ok;
	} finally {
		db.close();
	}
}

function prune(config: Config, days: number, dryRun: boolean, io: CliIO): number {
	const db = openDatabase(config.dbPath);
	try {
		const cutoff = retentionCutoff(config.zone, Date.now(), days);
		const result = pruneRawRows(db, config.zone, cutoff, {dryRun});
		const when = `before ${localDate(config.zone, cutoff)} 00:00 (${zoneLabel(config.zone)})`;
		const what = `${result.requests.toLocaleString('en-US')} request rows and ${result.counterDeltas.toLocaleString('en-US')} counter deltas`;
		if (dryRun) io.stdout(`Would delete ${what} from ${when}; nothing was deleted.\n`);
		else {
			io.stdout(`Deleted ${what} from ${when}. The hourly and daily rollups are kept, so reports over those days are unchanged.\n`);
			if (result.requests > 0) io.stdout('The freed pages are reused by new rows; cliproxy-usage db vacuum returns them to the system.\n');
		}
		return EXIT.ok;
	} finally {
		db.close();
	}
}

function statSize(path: string): number {
	try {
		return statSync(path).size;
	} catch {
		return 0;
	}
}
