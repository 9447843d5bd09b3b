import {randomBytes} from 'node:crypto';
import {chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync} from 'node:fs';
import {dirname, resolve} from 'node:path';
import Database from 'better-sqlite3';
import {UserFacingError} from '../runtime/exit-codes.js';
import {MIGRATIONS, SCHEMA_VERSION, type Migration} from './migrations.js';
import {createError, directoryError, openError} from './open-errors.js';

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
		if (existsSync(file) && statSync(file).isDirectory()) throw directoryError(file);
		if (options.readonly) {
			if (!existsSync(file)) {
				throw new UserFacingError(`No database at ${file}. Run the collector first, or set DB_PATH (or --db) to where it is.`);
			}
		} else if (!existsSync(file)) create(file);
	}
	let db: Db | undefined;
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
		db?.close();
		throw openError(error, file);
	}
	return db;
}

function create(file: string): void {
	try {
		mkdirSync(dirname(file), {recursive: true, mode: 0o700});
	} catch (error) {
		throw createError(error, file, 'directory');
	}
	try {
		closeSync(openSync(file, 'a', 0o600));
		chmodSync(file, 0o600);
	} catch (error) {
		throw createError(error, file, 'file');
	}
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
			m.run?.(db);
			db.pragma(`user_version = ${m.version}`);
		}).immediate();
	}
	db.prepare("INSERT OR IGNORE INTO collector_state(key, value) VALUES ('salt', ?)").run(randomBytes(32).toString('hex'));
}

export {SCHEMA_VERSION};
