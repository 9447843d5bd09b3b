import {describe, expect, it} from 'vitest';
import {STATS_DISABLED_WARNING} from '../../source/collector/collector.js';
import {v7Record, type V7Version} from '../support/fixtures.js';
import {collectorFor, count, startStandIn} from '../support/harness.js';
import {testConfig} from '../support/temp.js';
import {dailyRows, storedTotals} from '../support/usage-read.js';

/** These tests are about the HTTP queue; `auto` would subscribe over RESP. */
const queueCollector: typeof collectorFor = (cpa, env = {}, options = {}) => collectorFor(cpa, {COLLECTOR_SOURCE: 'queue', ...env}, options);

const day = Date.parse('2026-11-23T09:00:00Z');

describe('queue backend (CPA v6.10.8+, v7)', () => {
	it('lands every request exactly once across many passes and batch boundaries', async () => {
		const cpa = await startStandIn({generation: 'v7'});
		const h = queueCollector(cpa);
		let sent = 0;
		let tokens = 0;
		for (const burst of [3, 0, 499, 500, 501, 1234, 1, 0, 777]) {
			for (let i = 0; i < burst; i++) {
				const r = v7Record({at: day + sent * 1000, input: 100 + (sent % 50), output: 7});
				tokens += (r['tokens'] as {total_tokens: number}).total_tokens;
				cpa.enqueue(r);
				sent++;
			}
			const pass = await h.collector.trigger();
			expect(pass.ok, pass.error).toBe(true);
			expect(pass.inserted).toBe(burst);
			expect(cpa.queueLength).toBe(0);
		}
		expect(count(h, 'SELECT count(*) n FROM requests')).toBe(sent);
		expect(count(h, 'SELECT sum(total_tokens) n FROM requests')).toBe(tokens);
		expect(dailyRows(h.db, h.config.zone).find(d => d.stat_date === '2026-11-23')?.total_requests).toBe(sent);
		expect(storedTotals(h.db).requests).toBe(sent);
		// Drains in pages of 500 until a short read.
		expect(cpa.log.filter(r => r.path.startsWith('/v0/management/usage-queue')).every(r => r.path.endsWith('count=500'))).toBe(true);
		const status = h.collector.status();
		expect(status.source).toMatchObject({active: 'queue', cpaVersion: '7.2.140', usageStatisticsEnabled: true});
		expect(status.totals).toEqual({received: sent, inserted: sent, duplicates: 0, skipped: 0});
	});

	it.each<V7Version>(['6.10.8', '7.0.0', '7.0.3', '7.1.24', '7.2.97', '7.2.140'])('stores records from CPA %s with every field it sends', async version => {
		const cpa = await startStandIn({generation: 'v7', version});
		const h = queueCollector(cpa);
		cpa.enqueue(v7Record({at: day, input: 900, output: 80, reasoning: 30, cacheRead: 400, cacheCreation: 50, failed: true}, version));
		expect((await h.collector.trigger()).inserted).toBe(1);
		const row = h.db.prepare('SELECT * FROM requests_full').get() as Record<string, unknown>;
		expect(row).toMatchObject({origin: 'queue', model: 'claude-sonnet-4-5-20250929', provider: 'claude', endpoint: 'POST /v1/messages', failed: 1, input_tokens: 900, client_key: 'sk-…cdef'});
		expect(row['tb_input_cache_read']).toBe(['7.2.97', '7.2.140'].includes(version) ? 400 : null);
		expect(row['cache_creation_tokens']).toBe(['6.10.8', '7.0.0'].includes(version) ? 0 : 50);
	});

	it('does not count a request twice after the collector restarts, or if CPA delivers it again', async () => {
		const cpa = await startStandIn({generation: 'v7'});
		const config = testConfig({CLIPROXY_URL: cpa.url, COLLECTOR_SOURCE: 'queue'});
		const records = Array.from({length: 40}, (_, i) => v7Record({at: day + i}));
		const first = queueCollector(cpa, {}, {config});
		cpa.enqueue(...records.slice(0, 25));
		expect((await first.collector.trigger()).inserted).toBe(25);
		await first.cleanup.run();

		const second = queueCollector(cpa, {}, {config});
		cpa.enqueue(...records.slice(20)); // 5 re-delivered, 15 new
		const pass = await second.collector.trigger();
		expect(pass).toMatchObject({ok: true, received: 20, inserted: 15});
		expect(count(second, 'SELECT count(*) n FROM requests')).toBe(40);
		expect(dailyRows(second.db, second.config.zone).map(d => d.total_requests)).toEqual([40]);
	});

	it('skips and logs a malformed record, keeping the rest of its batch', async () => {
		const cpa = await startStandIn({generation: 'v7'});
		const h = queueCollector(cpa);
		cpa.enqueue(v7Record({at: day}), {...v7Record({at: day + 1}), tokens: {input_tokens: 'many'}}, '"just a string"', v7Record({at: day + 2}));
		const pass = await h.collector.trigger();
		expect(pass).toMatchObject({ok: true, received: 4, inserted: 2, skipped: 2});
		const warnings = h.logs.filter(l => l.msg === 'skipped a malformed usage record');
		expect(warnings.map(w => w['field'])).toEqual(['tokens.input_tokens', 'record']);
	});

	it('writes nothing from a malformed payload, reports it, and carries on', async () => {
		const cpa = await startStandIn({generation: 'v7'});
		const h = queueCollector(cpa);
		await h.collector.trigger(); // select the backend
		cpa.script({status: 200, body: '[{"timestamp": "2026-11-23T09:00:00Z", '}, {status: 200, body: '{"records": []}'});
		const broken = await h.collector.trigger();
		expect(broken.ok).toBe(false);
		expect(broken.error).toContain('/usage-queue: CPA sent invalid JSON');
		const wrongShape = await h.collector.trigger();
		expect(wrongShape.error).toContain('/usage-queue: payload: expected a JSON array');
		expect(count(h, 'SELECT count(*) n FROM requests')).toBe(0);
		cpa.enqueue(v7Record({at: day}));
		expect((await h.collector.trigger()).inserted).toBe(1);
		expect(h.collector.status().lastError).toBeNull();
	});

	it('stops after one 401 and never asks again (CPA bans after five)', async () => {
		const cpa = await startStandIn({generation: 'v7', managementKey: 'the-right-key'});
		const h = queueCollector(cpa, {CLIPROXY_MANAGEMENT_KEY: 'a-wrong-key'});
		const pass = await h.collector.trigger();
		expect(pass.ok).toBe(false);
		expect(pass.error).toContain('CPA rejected the management key ("invalid management key")');
		expect(pass.error).toContain('CLIPROXY_MANAGEMENT_KEY');
		for (let i = 0; i < 10; i++) await h.collector.trigger();
		expect(cpa.log).toHaveLength(1);
		const status = h.collector.status();
		expect(status.stopped?.reason).toContain('rejected the management key');
		expect(status.nextPollAt).toBeNull();
		expect(JSON.stringify(h.logs)).not.toContain('a-wrong-key');
	});

	it('explains a ban with CPA\'s own words and stops', async () => {
		const cpa = await startStandIn({generation: 'v7', managementKey: 'k'});
		for (let i = 0; i < 5; i++) await fetch(`${cpa.url}/v0/management/usage-queue`, {headers: {authorization: 'Bearer nope'}});
		const h = queueCollector(cpa, {CLIPROXY_MANAGEMENT_KEY: 'k'});
		const pass = await h.collector.trigger();
		expect(pass.error).toContain('CPA has banned this IP after repeated failed logins ("IP banned due to too many failed attempts. Try again in 30m0s")');
		expect(h.collector.status().stopped).not.toBeNull();
	});

	it('sends nothing at all without a management key', async () => {
		const cpa = await startStandIn({generation: 'v7'});
		const h = queueCollector(cpa, {CLIPROXY_MANAGEMENT_KEY: ''});
		const pass = await h.collector.trigger();
		expect(pass.error).toContain('CLIPROXY_MANAGEMENT_KEY is not set');
		expect(cpa.log).toHaveLength(0);
	});

	it('backs off after 5xx and network errors, surfacing them as state', async () => {
		const cpa = await startStandIn({generation: 'v7'});
		let clock = day;
		const h = queueCollector(cpa, {}, {now: () => clock});
		await h.collector.trigger();
		cpa.script({status: 502, body: '{"error":"upstream"}'}, {status: 503});
		const failed = await h.collector.trigger();
		expect(failed.error).toContain('CPA answered HTTP 502 for /v0/management/usage-queue ("upstream")');
		const s1 = h.collector.status();
		expect(s1.consecutiveFailures).toBe(1);
		expect(s1.lastError).toMatchObject({kind: 'unreachable'});
		await h.collector.trigger();
		expect(h.collector.status().consecutiveFailures).toBe(2);
		// 5 s doubled twice is 20 s, but a retry never waits past a sixth of CPA's 60 s retention.
		expect(h.collector.status().nextPollAt! - clock).toBeGreaterThanOrEqual(9_000);
		expect(h.collector.status().nextPollAt! - clock).toBeLessThanOrEqual(10_000);
		await cpa.close();
		clock += 60_000;
		const down = await h.collector.trigger();
		expect(down.error).toMatch(/(Cannot reach CPA at http:\/\/127\.0\.0\.1:\d+: connection refused|reset the connection)/);
		expect(h.collector.status().stopped).toBeNull();
	});

	it('says how to fix an unreachable CPA and keeps trying', async () => {
		const closed = await startStandIn({generation: 'v7'});
		const url = closed.url;
		await closed.close();
		const h = queueCollector(null, {CLIPROXY_URL: url});
		const pass = await h.collector.trigger();
		expect(pass.error).toBe(`Cannot reach CPA at ${url}: connection refused. Is CLIProxyAPI running, and is CLIPROXY_URL right?`);
		expect(h.collector.status()).toMatchObject({stopped: null, consecutiveFailures: 1, lastError: {kind: 'unreachable'}});
	});

	it('says plainly when CPA has usage statistics disabled', async () => {
		const cpa = await startStandIn({generation: 'v7', statisticsEnabled: false});
		const h = queueCollector(cpa);
		await h.collector.trigger();
		const status = h.collector.status();
		expect(status.source.usageStatisticsEnabled).toBe(false);
		expect(status.warnings).toContain(STATS_DISABLED_WARNING);
	});

	it('loses records CPA expired before a pass: the interval must stay under the retention', async () => {
		let clock = day;
		const cpa = await startStandIn({generation: 'v7', retentionSeconds: 60, now: () => clock});
		const h = queueCollector(cpa);
		cpa.enqueue(v7Record({at: day}));
		clock += 5_000;
		expect((await h.collector.trigger()).inserted).toBe(1);
		cpa.enqueue(v7Record({at: day + 1}));
		clock += 61_000;
		expect((await h.collector.trigger()).inserted).toBe(0);
	});
});
