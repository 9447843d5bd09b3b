import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {openDatabase} from '../../source/store/database.js';
import {MIGRATIONS} from '../../source/store/migrations.js';
import {onCleanup, tempDir} from '../support/temp.js';

describe('migration 7', () => {
	it('adds alert_state to a version-6 database and keeps what it held', () => {
		const file = join(tempDir(), 'c.db');
		const old = openDatabase(file, {migrations: MIGRATIONS.filter(m => m.version <= 6)});
		old.prepare("INSERT INTO collector_state (key, value) VALUES ('marker', 'kept')").run();
		old.close();
		const db = openDatabase(file, {migrations: MIGRATIONS.filter(m => m.version <= 7)});
		onCleanup(() => db.close());
		expect(db.pragma('user_version', {simple: true})).toBe(7);
		expect(db.prepare("SELECT value FROM collector_state WHERE key = 'marker'").get()).toEqual({value: 'kept'});
		db.prepare("INSERT INTO alert_state (subject, threshold, window_end, fired_at, percent, delivery) VALUES ('limit:1:0', 80, 1, 0, 81, 'none')").run();
		expect(() => db.prepare("INSERT INTO alert_state (subject, threshold, window_end, fired_at, percent, delivery) VALUES ('limit:1:0', 100, 1, 0, 81, 'maybe')").run()).toThrow(/CHECK/);
	});
});
