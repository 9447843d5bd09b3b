import {statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import Database from 'better-sqlite3';
import {describe, expect, it} from 'vitest';
import {openDatabase, SCHEMA_VERSION} from '../../source/store/database.js';
import {UserFacingError} from '../../source/runtime/exit-codes.js';
import {onCleanup, tempDir} from '../support/temp.js';

describe('openDatabase', () => {
	it('creates the file 0600 in a new directory, in WAL mode, migrated, with a salt', () => {
		const file = join(tempDir(), 'nested', 'dir', 'c.db');
		const db = openDatabase(file);
		onCleanup(() => db.close());
		expect(statSync(file).mode & 0o777).toBe(0o600);
		expect(db.pragma('journal_mode', {simple: true})).toBe('wal');
		expect(db.pragma('user_version', {simple: true})).toBe(SCHEMA_VERSION);
		expect(db.pragma('busy_timeout', {simple: true})).toBe(5000);
		const salt = db.prepare("SELECT value FROM collector_state WHERE key = 'salt'").get() as {value: string};
		expect(salt.value).toMatch(/^[0-9a-f]{64}$/);
	});

	it('is idempotent: reopening keeps data and the salt', () => {
		const file = join(tempDir(), 'c.db');
		const first = openDatabase(file);
		const salt = first.prepare("SELECT value FROM collector_state WHERE key = 'salt'").get();
		first.close();
		const again = openDatabase(file);
		onCleanup(() => again.close());
		expect(again.prepare("SELECT value FROM collector_state WHERE key = 'salt'").get()).toEqual(salt);
	});

	it('refuses a database written by a newer version, saying what to do', () => {
		const file = join(tempDir(), 'c.db');
		const raw = new Database(file);
		raw.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
		raw.close();
		expect(() => openDatabase(file)).toThrow(UserFacingError);
		expect(() => openDatabase(file)).toThrow(/schema version \d+, newer than this cliproxy-usage understands/);
	});

	it('says a corrupt file is not a database', () => {
		const file = join(tempDir(), 'c.db');
		writeFileSync(file, 'this is not sqlite, just text that is long enough to have a header '.repeat(100));
		expect(() => openDatabase(file)).toThrow(/is not a usable SQLite database/);
	});

	it('read-only opening of a missing file says where it looked', () => {
		const file = join(tempDir(), 'missing.db');
		expect(() => openDatabase(file, {readonly: true})).toThrow(`No database at ${file}`);
	});

	it('applies migrations one at a time, each with its version bump', () => {
		const file = join(tempDir(), 'c.db');
		const migrations = [
			{version: 1, name: 'a', sql: 'CREATE TABLE collector_state (key TEXT PRIMARY KEY, value TEXT NOT NULL); CREATE TABLE a (x)'},
			{version: 2, name: 'b', sql: 'CREATE TABLE b (x); CREATE TABLE b (x)'}, // fails: duplicate table
		];
		expect(() => openDatabase(file, {migrations})).toThrow();
		const raw = new Database(file);
		onCleanup(() => raw.close());
		expect(raw.pragma('user_version', {simple: true})).toBe(1);
		expect(raw.prepare("SELECT name FROM sqlite_master WHERE name = 'b'").get()).toBeUndefined();
	});
});
