import {describe, expect, it} from 'vitest';
import type {CpaStandIn} from '../support/cpa-stand-in.js';
import {v6Detail} from '../support/fixtures.js';
import {collectorFor, count, startStandIn, type Harness} from '../support/harness.js';
import {testConfig} from '../support/temp.js';
import {dailyRows} from '../support/usage-read.js';

const noon = Date.parse('2026-11-23T12:00:00Z');
const API = 'POST /v1/chat/completions';
const KEY_API = 'sk-client-key-0123456789';

let n = 0;
/** Records `k` requests in CPA, timestamps `step` ms apart from `from`; returns their total tokens. */
function traffic(cpa: CpaStandIn, k: number, from: number, step = 1000, api = API, model = 'gpt-5-codex'): number {
	let tokens = 0;
	for (let i = 0; i < k; i++) {
		const d = v6Detail({at: from + i * step, nanos: (n++ % 999) * 1000, input: 100 + (i % 13), output: 20, offsetMinutes: 480});
		tokens += d.tokens.total_tokens;
		cpa.record(api, model, d);
	}
	return tokens;
}

const totals = (h: Harness) => ({
	requests: count(h, 'SELECT count(*) n FROM requests'),
	tokens: count(h, 'SELECT coalesce(sum(total_tokens), 0) n FROM requests'),
	daily: dailyRows(h.db, h.config.zone).reduce((n, d) => n + d.total_requests, 0),
	hourly: count(h, 'SELECT coalesce(sum(requests), 0) n FROM usage_1h'),
});

describe('legacy backend (CPA v6.0 – v6.9.49)', () => {
	it('lands every request exactly once across many passes', async () => {
		const cpa = await startStandIn({generation: 'v6'});
		const h = collectorFor(cpa);
		let expected = 0;
		let keyed = 0;
		let tokens = 0;
		for (const k of [5, 0, 120, 1, 33]) {
			tokens += traffic(cpa, k, noon + expected * 1000);
			tokens += traffic(cpa, k % 3, noon + expected * 1000, 500, KEY_API, 'claude-sonnet-4');
			expected += k + (k % 3);
			keyed += k % 3;
			const pass = await h.collector.trigger();
			expect(pass.ok, pass.error).toBe(true);
			expect(pass.inserted).toBe(k + (k % 3));
		}
		expect(totals(h)).toEqual({requests: expected, tokens, daily: expected, hourly: expected});
		expect(h.collector.status().source).toMatchObject({active: 'legacy', cpaVersion: '6.9.49', reason: 'auto: CPA 6.9.49 predates v6.10, so it keeps cumulative /usage'});
		expect(count(h, 'SELECT count(*) n FROM counter_deltas')).toBe(0);
		expect(count(h, "SELECT count(*) n FROM requests_full WHERE client_key = 'sk-…6789' AND endpoint IS NULL")).toBe(keyed);
	});

	it('survives a CPA restart mid-day: nothing lost that was polled, nothing counted twice', async () => {
		const cpa = await startStandIn({generation: 'v6'});
		const h = collectorFor(cpa);
		traffic(cpa, 10, noon);
		await h.collector.trigger();
		traffic(cpa, 4, noon + 60_000);
		await h.collector.trigger();
		cpa.restart();
		traffic(cpa, 3, noon + 120_000);
		const pass = await h.collector.trigger();
		expect(pass.inserted).toBe(3);
		traffic(cpa, 25, noon + 180_000); // more than before the restart: the array is longer again
		expect((await h.collector.trigger()).inserted).toBe(25);
		expect(totals(h)).toMatchObject({requests: 42, daily: 42, hourly: 42});
		expect(h.logs.some(l => l.msg.startsWith('CPA restart detected'))).toBe(true);
		expect(count(h, 'SELECT count(*) n FROM counter_deltas')).toBe(0);
	});

	it('does not count twice after the collector restarts, even with its cursors lost', async () => {
		const cpa = await startStandIn({generation: 'v6'});
		const config = testConfig({CLIPROXY_URL: cpa.url});
		const first = collectorFor(cpa, {}, {config});
		traffic(cpa, 30, noon);
		await first.collector.trigger();
		await first.cleanup.run();

		traffic(cpa, 5, noon + 100_000);
		const second = collectorFor(cpa, {}, {config});
		expect((await second.collector.trigger()).inserted).toBe(5);
		second.db.exec('DELETE FROM legacy_arrays');
		traffic(cpa, 2, noon + 200_000);
		const rescan = await second.collector.trigger();
		expect(rescan).toMatchObject({inserted: 2});
		expect(totals(second)).toMatchObject({requests: 37, daily: 37});
	});

	it('attributes a long-running server\'s history to its real days on the first poll (no false start)', async () => {
		const cpa = await startStandIn({generation: 'v6'});
		const h = collectorFor(cpa, {TIMEZONE: 'Asia/Ho_Chi_Minh'});
		const fourDaysAgo = noon - 4 * 86_400_000;
		traffic(cpa, 96, fourDaysAgo, 3_600_000); // hourly for four days, 400k+ tokens in all
		const pass = await h.collector.trigger();
		expect(pass.inserted).toBe(96);
		const days = dailyRows(h.db, h.config.zone).map(d => ({stat_date: d.stat_date, total_requests: d.total_requests}));
		expect(days).toEqual([
			{stat_date: '2026-11-19', total_requests: 5},
			{stat_date: '2026-11-20', total_requests: 24},
			{stat_date: '2026-11-21', total_requests: 24},
			{stat_date: '2026-11-22', total_requests: 24},
			{stat_date: '2026-11-23', total_requests: 19},
		]);
		expect(h.logs.some(l => l.msg.startsWith('false start'))).toBe(false);
	});

	it.each(['6.0.0', '6.2.7', '6.3.0', '6.3.56', '6.9.1', '6.9.49'])('reads the detail fields CPA %s has', async version => {
		const cpa = await startStandIn({generation: 'v6', version});
		const h = collectorFor(cpa);
		cpa.record(API, 'gpt-4o-mini', {...v6Detail({at: noon, latencyMs: 777, source: 'acct@example.com'}), failed: true});
		traffic(cpa, 3, noon + 1000);
		expect((await h.collector.trigger()).inserted).toBe(4);
		expect((await h.collector.trigger()).inserted).toBe(0);
		const row = h.db.prepare("SELECT failed, latency_ms, source, auth_index FROM requests_full WHERE model = 'gpt-4o-mini'").get();
		const at = (v: string) => version.localeCompare(v, undefined, {numeric: true}) >= 0;
		expect(row).toEqual({
			failed: at('6.3.0') ? 1 : 0,
			latency_ms: at('6.9.1') ? 777 : null,
			source: at('6.2.7') ? 'acct@example.com' : null,
			auth_index: at('6.3.56') ? 'a1b2c3d4e5f67890' : null,
		});
	});

	it('falls back to counter deltas when CPA lists no details, with the restart and false-start rules', async () => {
		const cpa = await startStandIn({generation: 'v6'});
		let clock = noon;
		const h = collectorFor(cpa, {COLLECTOR_INTERVAL_SECONDS: '300'}, {now: () => clock});
		cpa.showDetails = false;
		traffic(cpa, 900, noon - 86_400_000, 60_000, API, 'claude-opus-4'); // big history, unknowable when: false start
		traffic(cpa, 3, noon - 60_000, 1000, API, 'gemini-2.5-pro'); // small: within the false-start threshold
		await h.collector.trigger();
		expect(count(h, 'SELECT count(*) n FROM requests')).toBe(0);
		expect(count(h, 'SELECT coalesce(sum(requests), 0) n FROM counter_deltas')).toBe(3);
		expect(h.logs.filter(l => l.msg.startsWith('false start')).map(l => l['model'])).toEqual(['claude-opus-4']);

		clock = noon + 2 * 3_600_000; // two hours later
		const tokens = traffic(cpa, 10, noon + 3_600_000, 1000, API, 'claude-opus-4');
		await h.collector.trigger();
		const delta = h.db.prepare("SELECT interval_start, interval_end, requests, total_tokens, api FROM counter_deltas WHERE model = 'claude-opus-4'").get();
		expect(delta).toEqual({interval_start: noon, interval_end: noon + 2 * 3_600_000, requests: 10, total_tokens: tokens, api: API});
		// Spread over the interval: five requests in each of the two hours.
		const hours = h.db.prepare("SELECT u.t AS hour_start, u.requests FROM usage_1h u JOIN series s ON s.id = u.series_id WHERE s.model = 'claude-opus-4' ORDER BY u.t").all();
		expect(hours).toEqual([
			{hour_start: noon, requests: 5},
			{hour_start: noon + 3_600_000, requests: 5},
		]);

		clock += 3_600_000;
		cpa.restart();
		traffic(cpa, 2, clock - 1000, 1, API, 'claude-opus-4');
		await h.collector.trigger();
		expect(h.logs.some(l => l.msg.startsWith('counter restart'))).toBe(true);
		expect(count(h, "SELECT sum(requests) n FROM counter_deltas WHERE model = 'claude-opus-4'")).toBe(12);
		expect(dailyRows(h.db, h.config.zone).map(d => d.total_requests)).toEqual([15]);
	});

	it('writes nothing from a malformed /usage payload', async () => {
		const cpa = await startStandIn({generation: 'v6'});
		const h = collectorFor(cpa);
		traffic(cpa, 2, noon);
		await h.collector.trigger();
		cpa.script({status: 200, body: '{"usage": {"total_requests": "lots"}}'});
		const pass = await h.collector.trigger();
		expect(pass.error).toBe('/usage: usage.total_requests: expected a non-negative integer, got the string "lots"; nothing was written');
		expect(count(h, 'SELECT count(*) n FROM usage_snapshots')).toBe(1);
		traffic(cpa, 1, noon + 5000);
		expect((await h.collector.trigger()).inserted).toBe(1);
	});
});
