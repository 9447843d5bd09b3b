import {describe, expect, it} from 'vitest';
import type {Gap} from '../../source/core/cpa/gap-ledger.js';
import {GAP_CHECK_MS} from '../../source/collector/starvation-watch.js';
import {statusView} from '../../source/server/status-view.js';
import {alertsFor} from '../../source/ui/view-model.js';
import {v7Record} from '../support/fixtures.js';
import {collectorFor, count, startStandIn, type Harness} from '../support/harness.js';
import {until} from '../support/wait.js';

const day = Date.parse('2026-11-23T09:00:00Z');
let n = 0;
const record = (at: number) => v7Record({at, input: 100 + (n++ % 1000)});
const gapEvents = (h: Harness) => h.bus.recent().filter(e => e.type === 'gap').map(e => e.data as Gap);

/** Passes every GAP_CHECK_MS on the test clock, as the scheduler would run them. */
async function passes(h: Harness, clock: {t: number}, k: number): Promise<void> {
	for (let i = 0; i < k; i++) {
		clock.t += GAP_CHECK_MS;
		await h.collector.trigger();
	}
}

describe('gaps: what CPA counted and never handed over is reported, once', () => {
	it('CPA queue retention exceeded: the expired records are counted, with the cause, in status, log, events and the dashboard', async () => {
		const clock = {t: day};
		const cpa = await startStandIn({generation: 'v7', retentionSeconds: 60, now: () => clock.t});
		const h = collectorFor(cpa, {COLLECTOR_SOURCE: 'queue'}, {now: () => clock.t});
		cpa.enqueue(record(clock.t));
		expect((await h.collector.trigger()).inserted).toBe(1);

		// CPA is unreachable for 100 s: what completed in the first 40 s of it expires in CPA's queue.
		const port = cpa.port;
		await cpa.close();
		for (let s = 1; s <= 100; s++) {
			clock.t = day + s * 1000;
			cpa.enqueue(record(clock.t));
			if (s % 10 === 0) expect((await h.collector.trigger()).ok).toBe(false);
		}
		await cpa.start(port);
		expect((await h.collector.trigger()).inserted).toBe(60);
		expect(cpa.queueLength).toBe(0);
		await passes(h, clock, 3);

		const gaps = h.collector.status().gaps;
		expect(gaps).toHaveLength(1);
		expect(gaps[0]).toMatchObject({count: 40, cause: 'retention'});
		expect(gaps[0]!.message).toMatch(/^about 40 requests between 2026-11-23T09:00:00Z and 2026-11-23T09:0\d:\d\dZ were not recorded \(CPA queue retention exceeded/);
		expect(h.logs.filter(l => l.msg === gaps[0]!.message)).toHaveLength(1);
		expect(gapEvents(h)).toHaveLength(1);
		expect(alertsFor(h.collector.status(), null)).toContainEqual({level: 'warning', text: gaps[0]!.message});
		const shown = statusView(h.collector.status(), h.db, h.config.zone, clock.t, {events: 0, subscribers: 0});
		expect(shown.gaps).toEqual([{from: '2026-11-23T09:00:00.000Z', to: expect.any(String), count: 40, cause: 'retention', message: gaps[0]!.message}]);

		// More passes and more traffic, nothing lost: the gap is not counted again.
		for (let i = 0; i < 5; i++) {
			cpa.enqueue(record(clock.t));
			await passes(h, clock, 1);
		}
		expect(h.collector.status().gaps).toEqual(gaps);
		expect(gapEvents(h)).toHaveLength(1);
		expect(count(h, 'SELECT count(*) n FROM requests')).toBe(66);
	});

	it('a CPA restart with records queued: the ones it cleared are reported as a restart, the ones after it are stored', async () => {
		const clock = {t: day};
		const cpa = await startStandIn({generation: 'v7', now: () => clock.t});
		const h = collectorFor(cpa, {COLLECTOR_SOURCE: 'queue'}, {now: () => clock.t});
		expect((await h.collector.trigger()).ok).toBe(true);
		for (let i = 0; i < 40; i++) cpa.enqueue(record(clock.t + i));
		// The pass reads the counters, but CPA fails the pop; then it restarts, its queue and counters gone.
		cpa.intercept = (route, _req, res) => (route === '/usage-queue' ? (res.writeHead(503).end(), true) : false);
		clock.t += GAP_CHECK_MS;
		expect((await h.collector.trigger()).ok).toBe(false);
		cpa.intercept = null;
		cpa.restart();
		for (let i = 0; i < 5; i++) cpa.enqueue(record(clock.t + 100 + i));
		await passes(h, clock, 3);
		expect(count(h, 'SELECT count(*) n FROM requests')).toBe(5);
		expect(h.collector.status().gaps).toEqual([expect.objectContaining({count: 40, cause: 'cpa_restart'})]);
		expect(h.logs.some(l => l.msg === 'CPA restarted: its request counters went down; records it still held in its queue are gone')).toBe(true);
	});

	it('RESP subscriber dropped by CPA (256 behind): what CPA discarded is reported as such', async () => {
		const clock = {t: day};
		const cpa = await startStandIn({generation: 'v7', now: () => clock.t});
		const h = collectorFor(cpa, {COLLECTOR_SOURCE: 'resp'}, {now: () => clock.t});
		expect((await h.collector.trigger()).ok).toBe(true);
		await until(() => cpa.subscriberCount === 1, 'subscribed');
		for (let i = 0; i < 50; i++) cpa.enqueue(record(clock.t + i));
		await until(() => count(h, 'SELECT count(*) n FROM requests') === 50, 'pushed records stored');
		// CPA served 300 more, buffered them for us, fell 256 behind, closed the subscription and dropped them.
		for (let i = 0; i < 300; i++) cpa.count(record(clock.t + 100 + i));
		cpa.dropSubscribers();
		await until(() => h.collector.status().transport?.drops === 1, 'subscription lost');
		await passes(h, clock, 3);
		expect(h.collector.status().gaps).toEqual([expect.objectContaining({count: 300, cause: 'subscriber_dropped'})]);
		expect(gapEvents(h)).toHaveLength(1);
	});

	it('nothing lost, nothing reported: a steady flow with records completing during the reads', async () => {
		const clock = {t: day};
		const cpa = await startStandIn({generation: 'v7', now: () => clock.t});
		const h = collectorFor(cpa, {COLLECTOR_SOURCE: 'queue'}, {now: () => clock.t});
		cpa.enqueue(...Array.from({length: 30}, (_, i) => record(day - 1000 + i)));
		// Requests complete between the counter reading and the pop: CPA counts them after we read.
		cpa.intercept = route => {
			if (route === '/usage-queue') for (let i = 0; i < 7; i++) cpa.enqueue(record(clock.t + i));
			return false;
		};
		await h.collector.trigger();
		await passes(h, clock, 8);
		expect(count(h, 'SELECT count(*) n FROM requests')).toBe(30 + 9 * 7);
		expect(h.collector.status().gaps).toEqual([]);
	});
});
