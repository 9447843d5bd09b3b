import {randomBytes} from 'node:crypto';
import {chmodSync, closeSync, existsSync, mkdirSync, openSync} from 'node:fs';
import {dirname, resolve} from 'node:path';
import Database from 'better-sqlite3';
import {EXIT, UserFacingError} from '../runtime/exit-codes.js';
import {MIGRATIONS, SCHEMA_VERSION, type Migration} from './migrations.js';

export type Db = Database.Database;

export type OpenOptions = {
	/** Open an existing database read-only (reports); never creates or migrates. */
	readonly?: boolean;
	migrations?: readonly Migration[];
};

/**
 * Opens (creating with mode 0600, in a 0700 directory) and migrates the database. WAL lets
 * reports and backups read while the collector writes.
 */
export function openDatabase(path: string, options: OpenOptions = {}): Db {
	const file = path === ':memory:' ? path : resolve(path);
	if (file !== ':memory:') {
		if (options.readonly) {
			if (!existsSync(file)) {
				throw new UserFacingError(`No database at ${file}. Run the collector first, or set DB_PATH (or --db) to where it is.`);
			}
		} else if (!existsSync(file)) {
			mkdirSync(dirname(file), {recursive: true, mode: 0o700});
			closeSync(openSync(file, 'a', 0o600));
			chmodSync(file, 0o600);
		}
	}
	let db: Db;
	try {
		db = new Database(file, {readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false});
		db.pragma('busy_timeout = 5000');
		if (!options.readonly) {
			db.pragma('journal_mode = WAL');
			db.pragma('synchronous = NORMAL');
		}
		db.pragma('foreign_keys = ON');
		migrate(db, file, options.migrations ?? MIGRATIONS, options.readonly ?? false);
	} catch (error) {
		throw asUserFacing(error, file);
	}
	return db;
}

function migrate(db: Db, file: string, migrations: readonly Migration[], readonly: boolean): void {
	const current = db.pragma('user_version', {simple: true}) as number;
	const latest = migrations.at(-1)?.version ?? 0;
	if (current > latest) {
		throw new UserFacingError(
			`The database at ${file} has schema version ${current}, newer than this cliproxy-usage understands (${latest}). Upgrade cliproxy-usage, or point DB_PATH at another file.`,
		);
	}
	if (readonly) {
		if (current < latest) {
			throw new UserFacingError(`The database at ${file} is at schema version ${current}; run the collector once to upgrade it to ${latest}.`);
		}
		return;
	}
	for (const m of migrations) {
		if (m.version <= current) continue;
		db.transaction(() => {
			db.exec(m.sql);
			db.pragma(`user_version = ${m.version}`);
		}).immediate();
	}
	db.prepare("INSERT OR IGNORE INTO collector_state(key, value) VALUES ('salt', ?)").run(randomBytes(32).toString('hex'));
}

function asUserFacing(error: unknown, file: string): Error {
	if (error instanceof UserFacingError) return error;
	const code = (error as {code?: string}).code;
	if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
		return new UserFacingError(`${file} is not a usable SQLite database (${code}). Restore it from a backup (cliproxy-usage db backup) or move it aside.`, EXIT.failure);
	}
	if (code === 'SQLITE_CANTOPEN' || code === 'EACCES' || code === 'EPERM') {
		return new UserFacingError(`Cannot open the database at ${file} (${code}): check the path in DB_PATH and its permissions.`, EXIT.failure);
	}
	return error as Error;
}

export {SCHEMA_VERSION};
