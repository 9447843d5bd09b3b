import {statSync, watch} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {backupDatabase} from '../../source/store/backup.js';
import {seededDb, spreadRecords} from '../support/seed.js';
import {tempDir} from '../support/temp.js';

describe('backupDatabase', () => {
	it('creates its partial file 0600 from the first moment, not only once renamed', async () => {
		const {db, writer, salt} = seededDb({kind: 'iana', name: 'UTC'});
		const end = Date.parse('2026-11-23T00:00:00Z');
		writer.ingest(spreadRecords(salt, end - 86_400_000, end, 2000), end);
		const dir = tempDir();
		const dest = join(dir, 'copy.db');
		const seen: number[] = [];
		// inotify reports the partial as soon as it exists; its mode is read before the copy's first step.
		const watcher = watch(dir, (_event, name) => {
			if (!name || !String(name).endsWith('.partial')) return;
			try {
				seen.push(statSync(join(dir, String(name))).mode & 0o777);
			} catch {
				// already renamed or removed
			}
		});
		try {
			await backupDatabase(db, dest);
		} finally {
			watcher.close();
		}
		expect(seen.length).toBeGreaterThan(0);
		expect(seen.every(mode => mode === 0o600)).toBe(true);
		expect(statSync(dest).mode & 0o777).toBe(0o600);
	});
});
