import {describe, expect, it} from 'vitest';
import {v6Detail} from '../support/fixtures.js';
import {collectorFor, startStandIn} from '../support/harness.js';

describe('auto backend selection', () => {
	it.each([
		['7.2.140', 'v7', 'resp', 'auto: CPA 7.2.140 has the usage queue (v6.10.8+), read live over RESP (SUBSCRIBE usage)'],
		['v7.2.140', 'v7', 'resp', 'auto: CPA v7.2.140 has the usage queue (v6.10.8+), read live over RESP (SUBSCRIBE usage)'],
		['6.10.8', 'v7', 'queue', 'auto: CPA 6.10.8 has the usage queue (v6.10.8+) but no RESP SUBSCRIBE (v7.0.7+), so it is drained over HTTP'],
		['7.0.6', 'v7', 'queue', 'auto: CPA 7.0.6 has the usage queue (v6.10.8+) but no RESP SUBSCRIBE (v7.0.7+), so it is drained over HTTP'],
		['7.0.7', 'v7', 'resp', 'auto: CPA 7.0.7 has the usage queue (v6.10.8+), read live over RESP (SUBSCRIBE usage)'],
		['6.10.3', 'v6.10-early', 'resp', 'auto: CPA 6.10.3 (v6.10.0–6.10.7) offers usage only over RESP, with LPOP (it has no SUBSCRIBE)'],
		['6.9.49', 'v6', 'legacy', 'auto: CPA 6.9.49 predates v6.10, so it keeps cumulative /usage'],
		['dev', 'v7', 'resp', 'auto: CPA dev has no /usage (404), so it has the usage queue, read live over RESP (SUBSCRIBE usage)'],
		['dev', 'v6', 'legacy', 'auto: CPA dev answers /usage, so it keeps cumulative counters'],
	] as const)('X-CPA-VERSION %s (%s) → %s', async (version, generation, backend, reason) => {
		const cpa = await startStandIn({generation, version});
		const h = collectorFor(cpa);
		const pass = await h.collector.trigger();
		expect(pass.ok, pass.error).toBe(true);
		expect(h.collector.status().source).toMatchObject({mode: 'auto', active: backend, reason});
		expect(h.logs.find(l => l.msg.startsWith('collecting with'))?.msg).toBe(`collecting with the ${backend} backend`);
	});

	it('honours an explicit COLLECTOR_SOURCE', async () => {
		const cpa = await startStandIn({generation: 'v7'});
		const h = collectorFor(cpa, {COLLECTOR_SOURCE: 'queue'});
		await h.collector.trigger();
		expect(h.collector.status().source).toMatchObject({mode: 'queue', active: 'queue', reason: 'COLLECTOR_SOURCE=queue (CPA 7.2.140)'});
	});

	it('explains a CPA whose management API is switched off (404 without a version header)', async () => {
		const cpa = await startStandIn({generation: 'v7', managementKey: null});
		const h = collectorFor(cpa);
		const pass = await h.collector.trigger();
		expect(pass.error).toContain('its management API is disabled. Set remote-management.secret-key');
	});

	it('re-selects when the CPA behind the URL is upgraded from v6 to v7', async () => {
		const v6 = await startStandIn({generation: 'v6'});
		const h = collectorFor(v6);
		v6.record('POST /v1/chat/completions', 'gpt-4o', v6Detail({at: Date.parse('2026-11-23T10:00:00Z')}));
		await h.collector.trigger();
		expect(h.collector.status().source.active).toBe('legacy');
		const port = v6.port;
		await v6.close();
		const v7 = await startStandIn({generation: 'v7'});
		await v7.close();
		await v7.start(port);
		// The first request may meet the old server's pooled connection being reset.
		const errors: Array<string | undefined> = [];
		for (let i = 0; i < 3 && !errors.includes('CPA has no /v0/management/usage route (404).'); i++) errors.push((await h.collector.trigger()).error);
		expect(errors).toContain('CPA has no /v0/management/usage route (404).');
		const next = await h.collector.trigger();
		expect(next.ok).toBe(true);
		expect(h.collector.status().source).toMatchObject({active: 'resp', cpaVersion: '7.2.140'});
	});
});
