import {describe, expect, it} from 'vitest';
import {v7Record} from '../support/fixtures.js';
import {collectorFor, startStandIn} from '../support/harness.js';

/** These tests are about the HTTP queue; `auto` would subscribe over RESP. */
const queueCollector: typeof collectorFor = (cpa, env = {}, options = {}) => collectorFor(cpa, {COLLECTOR_SOURCE: 'queue', ...env}, options);

const until = async (check: () => boolean, timeoutMs = 8000) => {
	const end = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > end) throw new Error('condition not met in time');
		await new Promise(r => setTimeout(r, 20));
	}
};

describe('collector scheduling', () => {
	it('coalesces concurrent triggers into one pass', async () => {
		const cpa = await startStandIn({generation: 'v7'});
		const h = queueCollector(cpa);
		await h.collector.trigger();
		cpa.delayMs = 150;
		const before = cpa.log.length;
		const passes = await Promise.all(Array.from({length: 20}, () => h.collector.trigger()));
		expect(new Set(passes).size).toBe(1);
		expect(cpa.log.length - before).toBe(1);
		expect(h.collector.status().pollCount).toBe(2);
	});

	it('runs a first pass at start and then on the queue interval', async () => {
		const cpa = await startStandIn({generation: 'v7'});
		const h = queueCollector(cpa, {COLLECTOR_QUEUE_INTERVAL_SECONDS: '1'});
		cpa.enqueue(v7Record({at: Date.parse('2026-11-23T10:00:00Z')}));
		h.collector.start();
		await until(() => h.collector.status().totals.inserted === 1);
		cpa.enqueue(v7Record({at: Date.parse('2026-11-23T10:00:01Z')}));
		await until(() => h.collector.status().totals.inserted === 2);
		expect(h.collector.status().pollIntervalSec).toBe(1);
		expect(h.collector.status().nextPollAt).toBeGreaterThan(Date.now() - 1000);
	});

	it('the first scheduled pass comes one interval after the start pass, not a second later', async () => {
		const cpa = await startStandIn({generation: 'v7'});
		const h = queueCollector(cpa, {COLLECTOR_QUEUE_INTERVAL_SECONDS: '3'});
		h.collector.start();
		await until(() => h.collector.status().lastSuccessAt !== null);
		await new Promise(r => setTimeout(r, 1500));
		expect(h.collector.status().pollCount).toBe(1);
		expect(h.collector.status().nextPollAt).toBeGreaterThan(Date.now() + 500);
	});

	it('stop() waits for the pass in flight, then schedules nothing more', async () => {
		const cpa = await startStandIn({generation: 'v7'});
		const h = queueCollector(cpa, {COLLECTOR_QUEUE_INTERVAL_SECONDS: '1'});
		await h.collector.trigger();
		cpa.delayMs = 300;
		cpa.enqueue(v7Record({at: Date.parse('2026-11-23T10:00:00Z')}));
		const inFlight = h.collector.trigger();
		await new Promise(r => setTimeout(r, 50));
		await h.collector.stop();
		expect((await inFlight).inserted).toBe(1);
		const requests = cpa.log.length;
		await new Promise(r => setTimeout(r, 1500));
		expect(cpa.log.length).toBe(requests);
	});

	it('emits usage_delta for new rows and pass/status events for every pass', async () => {
		const cpa = await startStandIn({generation: 'v7'});
		const h = queueCollector(cpa);
		const seen: string[] = [];
		h.bus.onAny(e => seen.push(e.type));
		cpa.enqueue(v7Record({at: Date.parse('2026-11-23T10:00:00Z'), model: 'gpt-5'}));
		await h.collector.trigger();
		await h.collector.trigger();
		// The record's response headers carry the account's quota windows: a quotas event first.
		expect(seen).toEqual(['quotas', 'usage_delta', 'pass', 'status', 'pass', 'status']);
		const delta = h.bus.recent().find(e => e.type === 'usage_delta')!;
		expect(delta.data).toMatchObject({backend: 'queue', inserted: 1, requests: 1, days: ['2026-11-23'], byModel: [{model: 'gpt-5', requests: 1}]});
		expect(h.bus.recent().map(e => e.type)).toEqual(['quotas', 'usage_delta', 'pass', 'pass']);
	});
});
