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
import {parseArgs} from './args.js';
import {HELPS} from './db-help.js';
import {CONFIG_FLAGS, loadConfig, usageError, type CliIO} from './common.js';
import {printStats} from './db-stats.js';

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
			io.stdout(`Deleted ${what} from ${when}. The rollups are kept, so reports over those days, in any zone, are unchanged.\n`);
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
