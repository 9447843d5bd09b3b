import {readdirSync, statSync} from 'node:fs';
import {basename, dirname, join} from 'node:path';
import Database from 'better-sqlite3';
import {describe, expect, it} from 'vitest';
import {v7Record} from '../support/fixtures.js';
import {startStandIn} from '../support/harness.js';
import {startHeadless, waitFor} from '../support/headless-process.js';
import {tempDir} from '../support/temp.js';

const KEY = 'test-management-key';
const spoolFiles = (dbPath: string) => readdirSync(dirname(dbPath)).filter(n => n.startsWith(`${basename(dbPath)}.spool.`));
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the status body is checked field by field
const status = async (url: string): Promise<any> => (await fetch(`${url}/api/collector/status`)).json();

describe('SIGKILL mid-drain', () => {
	it('a page popped and not yet committed is in the spool: the next start writes it before popping again', {timeout: 120_000}, async () => {
		const cpa = await startStandIn({generation: 'v7'});
		const dbPath = join(tempDir(), 'collector.db');
		const env = {CLIPROXY_URL: cpa.url, CLIPROXY_MANAGEMENT_KEY: KEY, COLLECTOR_SOURCE: 'queue', DB_PATH: dbPath, QUOTA_POLL_MINUTES: '0', PRICES_AUTO_UPDATE: 'false'};
		const first = await startHeadless(env);
		await waitFor(async () => (await status(first.url)).poll_count >= 1, 10_000, 'first pass');
		const now = Date.now();
		cpa.enqueue(...Array.from({length: 1200}, (_, i) => v7Record({at: now - 10_000 + i})));
		// Another writer takes the database's lock as the page leaves CPA: the collector has the page, cannot commit it.
		let lock: Database.Database | null = null;
		cpa.intercept = route => {
			if (route !== '/usage-queue' || lock) return false;
			const db = new Database(dbPath, {timeout: 10_000});
			// The collector may be mid-write (a checkpoint answers SQLITE_BUSY at once): try until the lock is ours.
			for (const end = Date.now() + 10_000; Date.now() < end; ) {
				try {
					db.exec('BEGIN IMMEDIATE');
					lock = db;
					break;
				} catch {
					// busy: again
				}
			}
			return false;
		};
		await fetch(`${first.url}/api/collector/trigger`, {method: 'POST'});
		// The whole page written (a kill in the middle of a large write can cut it short: then it is reported as lost).
		const spooled = () => spoolFiles(dbPath).reduce((n, f) => n + statSync(join(dirname(dbPath), f)).size, 0);
		let seen = -1;
		await waitFor(
			async () => {
				if (lock === null || spooled() < 500 * 100) return false;
				const size = spooled();
				await new Promise(r => setTimeout(r, 300));
				if (size === spooled() && size === seen) return true;
				seen = size;
				return false;
			},
			30_000,
			'the page in the spool',
		);
		first.child.kill('SIGKILL');
		await first.exited;
		expect(cpa.queueLength).toBe(700);
		lock!.exec('ROLLBACK');
		lock!.close();
		cpa.intercept = null;

		const second = await startHeadless(env);
		await waitFor(async () => (await status(second.url)).today.requests === 1200, 15_000, 'every record stored');
		expect(cpa.queueLength).toBe(0);
		expect(second.logs().some(l => l['msg'] === 'found records an earlier run popped and did not commit; they are written before anything new is popped' && l['records'] === 500)).toBe(true);
		expect((await status(second.url)).gaps).toEqual([]);
	});

	it('a page still on its way from CPA when the collector dies is reported at the next start as a loss of up to one page', {timeout: 60_000}, async () => {
		const cpa = await startStandIn({generation: 'v7'});
		const dbPath = join(tempDir(), 'collector.db');
		const env = {CLIPROXY_URL: cpa.url, CLIPROXY_MANAGEMENT_KEY: KEY, COLLECTOR_SOURCE: 'queue', DB_PATH: dbPath, QUOTA_POLL_MINUTES: '0', PRICES_AUTO_UPDATE: 'false'};
		const first = await startHeadless(env);
		await waitFor(async () => (await status(first.url)).poll_count >= 1, 10_000, 'first pass');
		const now = Date.now();
		cpa.enqueue(...Array.from({length: 800}, (_, i) => v7Record({at: now - 10_000 + i})));
		// CPA pops a page and starts sending it; the collector is killed before the answer is complete.
		let sent = false;
		cpa.intercept = (route, _req, res) => {
			if (route !== '/usage-queue') return false;
			const queue = (cpa as unknown as {queue: Array<{body: string}>}).queue;
			const page = queue.splice(0, 500).map(q => q.body);
			res.writeHead(200, {'content-type': 'application/json'});
			res.write(`[${page.slice(0, 200).join(',')}`);
			sent = true;
			return true;
		};
		await fetch(`${first.url}/api/collector/trigger`, {method: 'POST'});
		await waitFor(() => sent, 10_000, 'a page half sent');
		first.child.kill('SIGKILL');
		await first.exited;
		cpa.intercept = null;

		const second = await startHeadless(env);
		await waitFor(async () => (await status(second.url)).today.requests === 300, 15_000, 'what CPA still held stored');
		const gaps = (await status(second.url)).gaps;
		expect(gaps).toEqual([expect.objectContaining({count: 500, cause: 'collector_killed', message: expect.stringMatching(/^up to 500 requests between .* were not recorded \(the collector was killed while a popped page was in transit\)$/)})]);
	});
});
