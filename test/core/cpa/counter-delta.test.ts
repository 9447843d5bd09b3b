import {describe, expect, it} from 'vitest';
import {counterResiduals, spreadOverInterval} from '../../../source/core/cpa/counter-delta.js';
import type {ArrayObservation} from '../../../source/core/cpa/legacy-usage.js';

const obs = (id: string, counters: [number, number], observed: [number, number] = [0, 0]): ArrayObservation => ({
	arrayId: id,
	apiLabel: 'POST /v1/chat/completions',
	model: id,
	counters: {requests: counters[0], tokens: counters[1]},
	observed: {requests: observed[0], tokens: observed[1]},
	cursor: {count: 0, lastKey: ''},
	rescanned: false,
});

describe('counterResiduals', () => {
	it('is empty when the details explain every counted request', () => {
		const base = new Map([['m', {requests: 10, tokens: 1000}]]);
		expect(counterResiduals(base, [obs('m', [13, 1300], [3, 300])])).toEqual({residuals: [], events: []});
	});

	it('turns counted-but-unlisted requests into a residual', () => {
		const base = new Map([['m', {requests: 10, tokens: 1000}]]);
		const {residuals} = counterResiduals(base, [obs('m', [15, 1800], [2, 300])]);
		expect(residuals).toEqual([{arrayId: 'm', apiLabel: 'POST /v1/chat/completions', model: 'm', requests: 3, tokens: 500}]);
	});

	it('restart rule: a counter that went down counts its current value as the increment', () => {
		const base = new Map([['m', {requests: 500, tokens: 90_000}]]);
		const {residuals, events} = counterResiduals(base, [obs('m', [4, 4000])]);
		expect(events).toEqual([{kind: 'restart', apiLabel: 'POST /v1/chat/completions', model: 'm', previous: {requests: 500, tokens: 90_000}, current: {requests: 4, tokens: 4000}}]);
		expect(residuals[0]).toMatchObject({requests: 4, tokens: 4000});
	});

	it('false-start rule: a key new to the baseline with over 100,000 tokens is skipped', () => {
		const {residuals, events} = counterResiduals(new Map(), [obs('big', [900, 2_500_000]), obs('small', [3, 90_000])]);
		expect(events).toEqual([{kind: 'false_start', apiLabel: 'POST /v1/chat/completions', model: 'big', requests: 900, tokens: 2_500_000}]);
		expect(residuals.map(r => r.model)).toEqual(['small']);
		// A model that was 0/0 in the baseline counts as new too; a known one does not.
		expect(counterResiduals(new Map([['big', {requests: 0, tokens: 0}]]), [obs('big', [900, 2_500_000])]).residuals).toEqual([]);
		expect(counterResiduals(new Map([['big', {requests: 1, tokens: 10}]]), [obs('big', [900, 2_500_000])]).residuals).toHaveLength(1);
	});
});

describe('spreadOverInterval', () => {
	const h = 3_600_000;
	it('splits in proportion to overlap and always sums to the amount', () => {
		expect(spreadOverInterval(10, 0.5 * h, 2.5 * h, [0, h, 2 * h, 3 * h])).toEqual([3, 5, 2]);
		expect(spreadOverInterval(7, 0, 3 * h, [0, h, 2 * h, 3 * h])).toEqual([2, 3, 2]);
		// A few requests over many buckets land evenly, not all at the start.
		expect(spreadOverInterval(4, 0, 48 * 300_000, Array.from({length: 49}, (_, i) => i * 300_000)).flatMap((p, i) => (p ? [i] : []))).toEqual([5, 17, 29, 41]);
		for (const amount of [0, 1, 2, 99, 1001]) {
			expect(spreadOverInterval(amount, 0.3 * h, 5.9 * h, [0, h, 2 * h, 3 * h, 4 * h, 5 * h, 6 * h]).reduce((a, b) => a + b, 0)).toBe(amount);
		}
	});

	it('puts a zero-length interval in the bucket that holds it', () => {
		expect(spreadOverInterval(5, 1.5 * h, 1.5 * h, [0, h, 2 * h])).toEqual([0, 5]);
	});
});
