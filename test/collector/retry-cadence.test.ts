import {describe, expect, it} from 'vitest';
import {RETENTION_RETRY_SHARE} from '../../source/collector/collector.js';
import {v7Record} from '../support/fixtures.js';
import {collectorFor, count, startStandIn, type Harness} from '../support/harness.js';

const day = Date.parse('2026-11-23T09:00:00Z');

/** What the scheduler does, on the test's clock: a pass whenever the collector's next attempt is due. */
async function runUntil(h: Harness, clock: {t: number}, end: number, each: (t: number) => void | Promise<void>): Promise<Array<{at: number; ok: boolean}>> {
	const passes: Array<{at: number; ok: boolean}> = [];
	while (clock.t < end) {
		clock.t += 1000;
		await each(clock.t);
		const next = h.collector.status().nextPollAt ?? 0;
		if (clock.t >= next) passes.push({at: clock.t, ok: (await h.collector.trigger()).ok});
	}
	return passes;
}

describe('retries are bound to CPA queue retention', () => {
	it('CPA unreachable for 45 s (retention 60 s): drained within seconds of coming back, nothing expires', async () => {
		const clock = {t: day};
		const cpa = await startStandIn({generation: 'v7', retentionSeconds: 60, now: () => clock.t});
		const h = collectorFor(cpa, {COLLECTOR_SOURCE: 'queue'}, {now: () => clock.t});
		expect((await h.collector.trigger()).ok).toBe(true);
		expect(h.collector.status().queueRetention).toEqual({seconds: 60, source: 'cpa'});
		const port = cpa.port;
		await cpa.close();
		let sent = 0;
		// Requests keep completing while the collector cannot reach CPA (CPA holds them for 60 s).
		const during = await runUntil(h, clock, day + 45_000, () => {
			cpa.enqueue(v7Record({at: clock.t, input: 10 + sent++}));
		});
		expect(during.every(p => !p.ok)).toBe(true);
		await cpa.start(port);
		const back = day + 45_000;
		const after = await runUntil(h, clock, back + 30_000, () => {});
		const first = after.find(p => p.ok)!;
		// Never waits past a sixth of the retention: at most 10 s after CPA is back.
		expect(first.at - back).toBeLessThanOrEqual(60_000 * RETENTION_RETRY_SHARE);
		expect(count(h, 'SELECT count(*) n FROM requests')).toBe(sent);
		expect(cpa.queueLength).toBe(0);
		// Nothing was lost, so nothing is reported lost.
		expect(h.collector.status().gaps).toEqual([]);
		const delays = h.logs.filter(l => l.msg === 'collection pass failed; will retry').map(l => l['retry_in_seconds'] as number);
		expect(delays.length).toBeGreaterThan(3);
		expect(Math.max(...delays)).toBeLessThanOrEqual(10);
	});

	it('a CPA answering 5xx is still backed off: the delay doubles up to the bound the retention allows', async () => {
		const clock = {t: day};
		const cpa = await startStandIn({generation: 'v7', retentionSeconds: 3600, now: () => clock.t});
		const h = collectorFor(cpa, {COLLECTOR_SOURCE: 'queue'}, {now: () => clock.t});
		expect((await h.collector.trigger()).ok).toBe(true);
		cpa.intercept = (route, _req, res) => {
			if (route !== '/usage-queue') return false;
			res.writeHead(503).end('busy');
			return true;
		};
		const delays: number[] = [];
		for (let i = 0; i < 7; i++) {
			expect((await h.collector.trigger()).ok).toBe(false);
			delays.push(h.collector.status().nextPollAt! - clock.t);
		}
		// 5 s doubled per failure (±10 % jitter); 3600 s retention / 6 = 600 s, above the 5-minute cap.
		const expected = [10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000];
		delays.forEach((d, i) => {
			expect(d).toBeGreaterThanOrEqual(expected[i]! * 0.9);
			expect(d).toBeLessThanOrEqual(Math.min(300_000, expected[i]! * 1.1));
		});
	});

	it('a short retention bounds the backoff; without /config the documented 60 s default is assumed', async () => {
		const clock = {t: day};
		const short = await startStandIn({generation: 'v7', retentionSeconds: 30, now: () => clock.t});
		const h = collectorFor(short, {COLLECTOR_SOURCE: 'queue'}, {now: () => clock.t});
		expect((await h.collector.trigger()).ok).toBe(true);
		expect(h.collector.status().queueRetention).toEqual({seconds: 30, source: 'cpa'});
		short.intercept = (route, _req, res) => (route === '/usage-queue' ? (res.writeHead(502).end(), true) : false);
		for (let i = 0; i < 4; i++) await h.collector.trigger();
		// A sixth of 30 s is below the 5 s interval: retries never come faster than the interval.
		expect(h.collector.status().nextPollAt! - clock.t).toBeGreaterThanOrEqual(4_500);
		expect(h.collector.status().nextPollAt! - clock.t).toBeLessThanOrEqual(5_000);
		expect(h.logs.find(l => l.msg === 'CPA queue retention')).toMatchObject({seconds: 30, from: "CPA's /config"});

		const hidden = await startStandIn({generation: 'v7', now: () => clock.t});
		hidden.configRoute = false;
		const g = collectorFor(hidden, {COLLECTOR_SOURCE: 'queue'}, {now: () => clock.t});
		expect((await g.collector.trigger()).ok).toBe(true);
		expect(g.collector.status().queueRetention).toEqual({seconds: 60, source: 'default'});
		// /config holds CPA's secrets: only the retention is read from it, nothing of it is logged.
		expect(JSON.stringify(h.logs)).not.toContain('sk-client-secret-in-config');
	});
});
