import {describe, expect, it} from 'vitest';
import {addToBreakdown, emptyBreakdown, parseBreakdown, type DailyIncrement} from '../../../source/core/report/daily-breakdown.js';
import {filterBreakdown} from '../../../source/core/report/period-report.js';

const inc = (model: string, endpoint: string): DailyIncrement => ({model, endpoint, requests: 1, failed: 0, input: 10, output: 2, reasoning: 0, cached: 0, tokens: 12, cost: 0.5});
const HOSTILE = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];

describe('daily breakdown keyed by outside text', () => {
	it('counts __proto__, constructor and toString like any model or endpoint, and leaves Object.prototype alone', () => {
		const b = emptyBreakdown();
		for (const name of HOSTILE) addToBreakdown(b, inc(name, name));
		for (const name of HOSTILE) addToBreakdown(b, inc(name, 'POST /v1/messages'));
		expect(({} as Record<string, unknown>)['requests']).toBeUndefined();
		expect(Object.keys(b.models).sort()).toEqual([...HOSTILE].sort());
		for (const name of HOSTILE) {
			expect(b.models[name]).toMatchObject({requests: 2, tokens: 24, cost: 1});
			expect(b.endpoints[name]!.models[name]).toMatchObject({requests: 1});
		}
		const back = parseBreakdown(JSON.stringify(b));
		expect(Object.keys(back.models).sort()).toEqual([...HOSTILE].sort());
		addToBreakdown(back, inc('__proto__', '__proto__'));
		expect(back.models['__proto__']).toMatchObject({requests: 3});
		expect(Object.getPrototypeOf(back.models)).toBeNull();
		const cut = filterBreakdown(back, m => m !== 'toString');
		expect(Object.keys(cut.models).sort()).toEqual(['__proto__', 'constructor', 'hasOwnProperty']);
		expect(cut.endpoints['__proto__']!.requests).toBe(2);
	});
});
