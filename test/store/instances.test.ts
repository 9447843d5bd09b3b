import {join} from 'node:path';
import Database from 'better-sqlite3';
import {describe, expect, it} from 'vitest';
import {openDatabase} from '../../source/store/database.js';
import {assignInstanceTags, instanceNames} from '../../source/store/instances.js';
import {MIGRATIONS} from '../../source/store/migrations.js';
import {onCleanup, tempDir} from '../support/temp.js';

describe('instance tags (migration 8)', () => {
	it('gives the first CPA a database ever collects from tag \'\', every later one its name, and keeps them across runs and reorders', () => {
		const db = openDatabase(':memory:');
		onCleanup(() => db.close());
		expect([...assignInstanceTags(db, ['team'], 1)]).toEqual([['team', '']]);
		expect([...assignInstanceTags(db, ['laptop', 'team', 'lab'], 2)]).toEqual([['laptop', 'laptop'], ['team', ''], ['lab', 'lab']]);
		expect([...instanceNames(db, 'unused')].sort()).toEqual([['', 'team'], ['lab', 'lab'], ['laptop', 'laptop']]);
		expect(db.prepare('SELECT name, tag, added_at FROM collector_instances ORDER BY added_at, name').all()).toEqual([
			{name: 'team', tag: '', added_at: 1},
			{name: 'lab', tag: 'lab', added_at: 2},
			{name: 'laptop', tag: 'laptop', added_at: 2},
		]);
	});

	it('names \'\' after the configured first CPA while nothing is stored, also on a read-only database from before migration 8', () => {
		const file = join(tempDir(), 'c.db');
		openDatabase(file, {migrations: MIGRATIONS.filter(m => m.version <= 7)}).close();
		const old = new Database(file, {readonly: true});
		onCleanup(() => old.close());
		expect([...instanceNames(old, '127.0.0.1:8317')]).toEqual([['', '127.0.0.1:8317']]);
	});

	it('moves v6 per-array progress to the first instance', () => {
		const file = join(tempDir(), 'c.db');
		const old = openDatabase(file, {migrations: MIGRATIONS.filter(m => m.version <= 7)});
		old.prepare("INSERT INTO legacy_arrays (array_id, api, model, detail_count, last_key, total_requests, total_tokens, updated_at) VALUES ('a', 'api', 'm', 3, 'k', 3, 30, 1)").run();
		old.prepare("INSERT INTO usage_snapshots (collected_at, total_requests, success_count, failure_count, total_tokens, new_details, residual_requests) VALUES (1, 3, 3, 0, 30, 3, 0)").run();
		old.close();
		const db = openDatabase(file);
		onCleanup(() => db.close());
		expect(db.prepare('SELECT instance, array_id, detail_count FROM legacy_arrays').all()).toEqual([{instance: '', array_id: 'a', detail_count: 3}]);
		expect(db.prepare('SELECT instance, total_requests FROM usage_snapshots').all()).toEqual([{instance: '', total_requests: 3}]);
		// Two v6 CPAs name their arrays alike: one row each.
		db.prepare("INSERT INTO legacy_arrays (instance, array_id, api, model, detail_count, last_key, total_requests, total_tokens, updated_at) VALUES ('lab', 'a', 'api', 'm', 9, 'k', 9, 90, 2)").run();
		expect(db.prepare('SELECT count(*) n FROM legacy_arrays').get()).toEqual({n: 2});
	});
});
