import {openSync, readdirSync, statSync, unlinkSync, writeSync, closeSync} from 'node:fs';
import {basename, dirname} from 'node:path';
import {describe, expect, it} from 'vitest';
import {createApiServer} from '../../source/server/http-server.js';
import {alertsFor} from '../../source/ui/view-model.js';
import {v7Record} from '../support/fixtures.js';
import {collectorFor, count, startStandIn, type Harness} from '../support/harness.js';
import {onCleanup, testConfig} from '../support/temp.js';
import {until} from '../support/wait.js';

const day = Date.parse('2026-11-23T09:00:00Z');
const records = (n: number, from = 0) => Array.from({length: n}, (_, i) => v7Record({at: day + (from + i) * 1000, input: 100 + i, output: 7}));
const pops = (cpa: {log: Array<{path: string}>}) => cpa.log.filter(r => r.path.startsWith('/v0/management/usage-queue')).length;
const spoolFiles = (dbPath: string) => readdirSync(dirname(dbPath)).filter(n => n.startsWith(`${basename(dbPath)}.spool.`));

async function metrics(h: Harness): Promise<string> {
	const api = createApiServer({config: h.config, collector: h.collector, bus: h.bus, db: h.db, logger: h.logger, now: h.now, limits: h.limits});
	const {port} = await api.listen();
	onCleanup(() => api.close());
	const [text, status] = await Promise.all([
		fetch(`http://127.0.0.1:${port}/metrics`).then(r => r.text()),
		fetch(`http://127.0.0.1:${port}/api/collector/status`).then(r => r.json() as Promise<{store: Record<string, unknown>}>),
	]);
	await api.close();
	return `${text}\n#status ${JSON.stringify(status.store)}`;
}

/** The DB is at its size limit: SQLite answers SQLITE_FULL to anything that needs a new page, as on a full disk. */
function fillUp(h: Harness): void {
	h.db.pragma(`max_page_count = ${h.db.pragma('page_count', {simple: true}) as number}`);
}

describe('the store cannot write: popping stops, nothing popped is lost', () => {
	it('SQLITE_FULL: the failed page is spooled, CPA keeps the rest, the spool is replayed first once writing works', async () => {
		const cpa = await startStandIn({generation: 'v7'});
		const h = collectorFor(cpa, {COLLECTOR_SOURCE: 'queue'});
		cpa.enqueue(...records(10));
		expect((await h.collector.trigger()).inserted).toBe(10);

		fillUp(h);
		cpa.enqueue(...records(2000, 10));
		const failed = await h.collector.trigger();
		expect(failed.ok).toBe(false);
		expect(failed.error).toMatch(/^The database cannot be written \(SQLITE_FULL/);
		// One page of 500 was popped and could not be committed; CPA still holds the other 1,500.
		expect(cpa.queueLength).toBe(1500);
		const status = h.collector.status();
		expect(status.store).toMatchObject({up: false, code: 'SQLITE_FULL', spooledPages: 1, spooledRecords: 500, memoryOnly: 0});
		expect(spoolFiles(h.config.dbPath)).toHaveLength(1);
		expect(h.logs.filter(l => l.msg === 'the database cannot be written; popping from CPA has stopped')).toHaveLength(1);
		expect(alertsFor(status, null)[0]).toMatchObject({level: 'error', text: expect.stringContaining('popping from CPA has stopped')});
		const shown = await metrics(h);
		expect(shown).toMatch(/^cliproxy_usage_store_up\{instance="[^"]+"\} 0$/m);
		expect(shown).toMatch(/^cliproxy_usage_spooled_records\{instance="[^"]+"\} 500$/m);
		expect(shown).toContain('"up":false');
		expect(shown).toContain('"spooled_records":500');

		// Records keep flowing; passes while the store is down pop nothing.
		const before = pops(cpa);
		cpa.enqueue(...records(300, 2010));
		for (let i = 0; i < 3; i++) expect((await h.collector.trigger()).ok).toBe(false);
		expect(pops(cpa)).toBe(before);
		expect(cpa.queueLength).toBe(1800);

		// Space again: the guard's probe notices by itself, replays the spool, then drains CPA.
		h.db.pragma('max_page_count = 1073741823');
		await until(() => count(h, 'SELECT count(*) n FROM requests') === 2310 && cpa.queueLength === 0, 'everything stored after recovery', 15_000);
		await until(() => !h.collector.passInProgress);
		expect(count(h, 'SELECT count(DISTINCT dedupe_key) n FROM requests')).toBe(2310);
		expect(h.collector.status().store).toMatchObject({up: true, code: null, spooledPages: 0, spooledRecords: 0});
		const replayed = h.logs.findIndex(l => l.msg === 'replayed the records popped while the database could not be written');
		expect(replayed).toBeGreaterThan(-1);
		expect(h.logs[replayed]).toMatchObject({pages: 1, records: 500});
		expect(h.logs.some(l => l.msg === 'the database can be written again; what was spooled is written, popping resumes')).toBe(true);
		expect(await metrics(h)).toMatch(/^cliproxy_usage_store_up\{instance="[^"]+"\} 1$/m);
		await h.cleanup.run();
		expect(spoolFiles(h.config.dbPath)).toEqual([]);
	});

	it('a read-only database: nothing is popped after the first failed page, and all of it lands once writable', async () => {
		const cpa = await startStandIn({generation: 'v7'});
		const h = collectorFor(cpa, {COLLECTOR_SOURCE: 'queue'});
		h.db.pragma('query_only = 1');
		cpa.enqueue(...records(1200));
		const failed = await h.collector.trigger();
		expect(failed.error).toMatch(/SQLITE_READONLY/);
		// The probe before the pass fails: not one record was popped.
		expect(cpa.queueLength).toBe(1200);
		expect(h.collector.status().store).toMatchObject({up: false, code: 'SQLITE_READONLY', spooledPages: 0});
		h.db.pragma('query_only = 0');
		await until(() => count(h, 'SELECT count(*) n FROM requests') === 1200, 'stored after the database is writable', 15_000);
		expect(cpa.queueLength).toBe(0);
	});

	it('records pushed over RESP while the store is down wait in the spool and are written when it is back', async () => {
		const cpa = await startStandIn({generation: 'v7'});
		const h = collectorFor(cpa, {COLLECTOR_SOURCE: 'resp'});
		expect((await h.collector.trigger()).ok).toBe(true);
		await until(() => cpa.subscriberCount === 1, 'subscribed');
		fillUp(h);
		cpa.enqueue(...records(700));
		await until(() => h.collector.status().store?.up === false && h.collector.status().store?.spooledRecords === 700, 'pushed records spooled');
		expect(h.collector.status().store?.memoryOnly).toBe(0);
		expect((await h.collector.trigger()).ok).toBe(false);
		h.db.pragma('max_page_count = 1073741823');
		await until(() => count(h, 'SELECT count(*) n FROM requests') === 700, 'stored after recovery', 15_000);
		expect(h.collector.status().store).toMatchObject({up: true, spooledRecords: 0});
	});

	it('a corrupt database: the popped page survives in the spool and the next start on a good database replays it', async () => {
		const cpa = await startStandIn({generation: 'v7'});
		const config = testConfig({CLIPROXY_URL: cpa.url, COLLECTOR_SOURCE: 'queue'});
		const first = collectorFor(cpa, {}, {config});
		cpa.enqueue(...records(20));
		expect((await first.collector.trigger()).inserted).toBe(20);
		first.db.pragma('wal_checkpoint(TRUNCATE)');
		const path = config.dbPath;
		// The file is damaged while the first page of the next pass is on its way (after the probe said yes).
		cpa.intercept = route => {
			if (route !== '/usage-queue') return false;
			cpa.intercept = null;
			const fd = openSync(path, 'r+');
			const junk = Buffer.alloc(statSync(path).size - 4096, 0x5a);
			writeSync(fd, junk, 0, junk.length, 4096);
			closeSync(fd);
			// Pages still in this connection's cache would hide the damage until they are evicted.
			first.db.pragma('shrink_memory');
			return false;
		};
		cpa.enqueue(...records(1500, 20));
		const failed = await first.collector.trigger();
		expect(failed.error).toMatch(/SQLITE_(CORRUPT|NOTADB)/);
		const held = first.collector.status().store!;
		expect(held.up).toBe(false);
		// The popped page is in the spool; CPA holds the rest.
		expect(held).toMatchObject({code: expect.stringMatching(/SQLITE_(CORRUPT|NOTADB)/), spooledPages: 1, spooledRecords: 500});
		expect(cpa.queueLength).toBe(1000);
		await first.cleanup.run();
		expect(first.logs.some(l => l.msg === 'records popped from CPA are still waiting in the spool; the next start replays them')).toBe(true);
		expect(spoolFiles(path)).toHaveLength(1);

		// The user replaces the broken file (here: starts over); the first pass writes the spool, then drains CPA.
		for (const suffix of ['', '-wal', '-shm']) {
			try {
				unlinkSync(path + suffix);
			} catch {
				// not there
			}
		}
		const second = collectorFor(cpa, {}, {config});
		const pass = await second.collector.trigger();
		expect(pass.ok, pass.error).toBe(true);
		expect(count(second, 'SELECT count(*) n FROM requests')).toBe(1500);
		expect(cpa.queueLength).toBe(0);
		await second.cleanup.run();
		expect(spoolFiles(path)).toEqual([]);
	});
});
