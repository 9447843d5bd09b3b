import {describe, expect, it} from 'vitest';
import {STATS_DISABLED_WARNING} from '../../source/collector/collector.js';
import {STARVATION_CHECK_MS, starvationWarning} from '../../source/collector/starvation-watch.js';
import type {CpaStandIn} from '../support/cpa-stand-in.js';
import {v7Record} from '../support/fixtures.js';
import {collectorFor, startStandIn, type Harness} from '../support/harness.js';
import {RawResp} from '../support/resp-wire.js';
import {onCleanup} from '../support/temp.js';
import {until} from '../support/wait.js';

const day = Date.parse('2026-11-23T09:00:00Z');

/** Another tool (Keeper, CPAMP) subscribed to the same CPA. */
async function otherSubscriber(cpa: CpaStandIn): Promise<RawResp> {
	const raw = await RawResp.connect(cpa.port);
	onCleanup(() => raw.close());
	expect(await raw.command('AUTH', 'test-management-key')).toBe('OK');
	expect(await raw.command('SUBSCRIBE', 'usage')).toEqual(['subscribe', 'usage', 1]);
	expect(await raw.read()).toEqual(['message', 'usage', '{"support_refresh":true}']);
	return raw;
}

const authFileReads = (cpa: CpaStandIn) => cpa.log.filter(r => r.path === '/v0/management/auth-files').length;
const warningEvents = (h: Harness) => h.bus.recent().filter(e => e.type === 'warning').map(e => (e.data as {message: string}).message);

describe('starvation watch: CPA serves requests, none reach us', () => {
	it('queue mode: says so when another tool is subscribed, checks every few minutes, clears when records flow', async () => {
		let clock = day;
		const cpa = await startStandIn({generation: 'v7', now: () => clock});
		const h = collectorFor(cpa, {COLLECTOR_SOURCE: 'queue'}, {now: () => clock});
		await h.collector.trigger(); // first reading
		const other = await otherSubscriber(cpa);
		for (let i = 0; i < 5; i++) cpa.enqueue(v7Record({at: day + i}));
		expect(cpa.queueLength).toBe(0); // the subscriber took them
		for (let minute = 1; minute < 5; minute++) {
			clock = day + minute * 60_000;
			await h.collector.trigger();
		}
		// Read twice on the first pass (before it drains, and after, as the gaps' baseline), then at most
		// every GAP_CHECK_MS (here: each minute); judged for starvation only after five minutes.
		expect(authFileReads(cpa)).toBe(6);
		expect(h.collector.status().warnings.some(w => w.includes('none reached this collector'))).toBe(false);

		clock = day + STARVATION_CHECK_MS;
		expect((await h.collector.trigger()).received).toBe(0);
		expect(authFileReads(cpa)).toBe(7);
		const warning = starvationWarning(5, 5, 'queue');
		expect(warning).toContain('CPA served 5 requests in the last 5 minutes (its /auth-files counters) but none reached this collector');
		expect(h.collector.status().warnings).toContain(warning);
		expect(warningEvents(h)).toEqual([warning]);
		expect(h.logs.filter(l => l.msg === warning)).toHaveLength(1);

		other.close();
		await until(() => cpa.subscriberCount === 0, 'the other tool gone');
		cpa.enqueue(v7Record({at: day + 100}));
		clock += 5_000;
		expect((await h.collector.trigger()).inserted).toBe(1);
		expect(h.collector.status().warnings).not.toContain(warning);
	});

	it('stays quiet when statistics are off: that explains the silence, and is said instead', async () => {
		let clock = day;
		const cpa = await startStandIn({generation: 'v7', now: () => clock});
		const h = collectorFor(cpa, {COLLECTOR_SOURCE: 'queue'}, {now: () => clock});
		await h.collector.trigger();
		cpa.setStatisticsEnabled(false);
		for (let i = 0; i < 5; i++) cpa.enqueue(v7Record({at: day + i}));
		clock += STARVATION_CHECK_MS;
		await h.collector.trigger();
		const {warnings} = h.collector.status();
		expect(warnings).toContain(STATS_DISABLED_WARNING);
		expect(warnings.some(w => w.includes('none reached this collector'))).toBe(false);
	});

	it('stays quiet while records arrive', async () => {
		let clock = day;
		const cpa = await startStandIn({generation: 'v7', now: () => clock});
		const h = collectorFor(cpa, {COLLECTOR_SOURCE: 'queue'}, {now: () => clock});
		await h.collector.trigger();
		clock += STARVATION_CHECK_MS;
		for (let i = 0; i < 5; i++) cpa.enqueue(v7Record({at: day + i}));
		expect((await h.collector.trigger()).inserted).toBe(5);
		expect(authFileReads(cpa)).toBe(3);
		expect(h.collector.status().warnings.some(w => w.includes('none reached this collector'))).toBe(false);
	});

	it('RESP mode: while our subscription is down, another subscriber takes everything, and we say so', async () => {
		let clock = day;
		const cpa = await startStandIn({generation: 'v7', now: () => clock});
		const h = collectorFor(cpa, {}, {now: () => clock});
		await h.collector.trigger();
		expect(h.collector.status().transport?.state).toBe('subscribed');
		const other = await otherSubscriber(cpa);
		cpa.respMode = 'refuse';
		cpa.dropSubscribers(other.socket.localPort);
		await until(() => h.collector.status().transport?.state === 'reconnecting', 'our subscription lost');
		await h.collector.trigger(); // let the pass the loss woke finish first
		for (let i = 0; i < 4; i++) cpa.enqueue(v7Record({at: day + i}));
		clock += STARVATION_CHECK_MS;
		await h.collector.trigger();
		const warning = starvationWarning(4, 5, 'resp');
		expect(warning).toContain('our own subscription is down meanwhile');
		expect(h.collector.status().warnings).toContain(warning);
	});
});
