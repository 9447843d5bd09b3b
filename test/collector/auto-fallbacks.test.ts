import {describe, expect, it} from 'vitest';
import {QUEUE_BATCH} from '../../source/collector/queue-backend.js';
import type {CpaStandIn} from '../support/cpa-stand-in.js';
import {v7Record} from '../support/fixtures.js';
import {collectorFor, count, startStandIn} from '../support/harness.js';
import {until} from '../support/wait.js';

const day = Date.parse('2026-11-23T09:00:00Z');
const subscribes = (cpa: CpaStandIn) => cpa.respLog.filter(c => c.args[0]!.toUpperCase() === 'SUBSCRIBE').length;
const pops = (cpa: CpaStandIn) => cpa.log.filter(r => r.path.startsWith('/v0/management/usage-queue?count=')).length;

describe('auto on CPAs that lack something', () => {
	it('stopping mid-drain stops after the page in flight, with the starvation watch around the backend', async () => {
		const cpa = await startStandIn({generation: 'v7'});
		const h = collectorFor(cpa, {COLLECTOR_SOURCE: 'queue'});
		expect((await h.collector.trigger()).ok).toBe(true);
		cpa.enqueue(...Array.from({length: 20 * QUEUE_BATCH}, (_, i) => v7Record({at: day + i})));
		cpa.delayMs = 30;
		const before = pops(cpa);
		const pass = h.collector.trigger();
		await until(() => count(h, 'SELECT count(*) n FROM requests') >= QUEUE_BATCH, 'a first page stored');
		await h.collector.stop();
		await pass;
		const popped = pops(cpa) - before;
		expect(popped).toBeLessThanOrEqual(3);
		// Every page popped was committed before the stop took effect.
		expect(count(h, 'SELECT count(*) n FROM requests')).toBe(popped * QUEUE_BATCH);
		expect(cpa.queueLength).toBe((20 - popped) * QUEUE_BATCH);
	});

	it("a CPA that answers SUBSCRIBE with `unknown command`: asked once, then a clean drain-only state, never 'reconnecting'", async () => {
		const cpa = await startStandIn({generation: 'v7', version: 'dev'});
		cpa.subscribeCommand = false;
		const h = collectorFor(cpa);
		expect((await h.collector.trigger()).ok).toBe(true);
		await until(() => h.collector.status().transport?.state === 'drain_only', 'drain-only');
		const transport = h.collector.status().transport!;
		expect(transport).toMatchObject({state: 'drain_only', path: 'http', failedAttempts: 0, lastError: null});
		expect(transport.summary).toMatch(/^not subscribing \(.*has no SUBSCRIBE.*unknown command.*\); draining CPA's queue over HTTP \(\/usage-queue\) every pass$/);
		expect(h.collector.status().warnings.some(w => w.includes('subscrib'))).toBe(false);
		for (let i = 0; i < 3; i++) {
			cpa.enqueue(v7Record({at: day + i}));
			expect((await h.collector.trigger()).inserted).toBe(1);
		}
		await new Promise(r => setTimeout(r, 300));
		expect(subscribes(cpa)).toBe(1);
		expect(h.collector.status().transport?.state).toBe('drain_only');
	});

	it('no X-CPA-VERSION header (a proxy strips it) in front of a v7 CPA: /usage-queue is probed, and it collects', async () => {
		const cpa = await startStandIn({generation: 'v7', version: null});
		const h = collectorFor(cpa, {COLLECTOR_SOURCE: 'auto'});
		cpa.enqueue(v7Record({at: day}));
		const pass = await h.collector.trigger();
		expect(pass.ok, pass.error).toBe(true);
		expect(h.collector.status().source).toMatchObject({
			active: 'queue',
			reason: 'auto: CPA sent no X-CPA-VERSION header (a reverse proxy may strip it), but /usage-queue answers, so it is drained over HTTP',
		});
		expect(count(h, 'SELECT count(*) n FROM requests')).toBe(1);
		// The probe asks for count=0, which CPA refuses with 400 and pops nothing.
		expect(cpa.log.some(r => r.path === '/v0/management/usage-queue?count=0' && r.status === 400)).toBe(true);
	});
});
