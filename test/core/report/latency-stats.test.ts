import {describe, expect, it} from 'vitest';
import {formatLatency, latencyByModel, percentile} from '../../../source/core/report/latency-stats.js';

describe('latency per model', () => {
	it('percentile by nearest rank', () => {
		const sorted = Array.from({length: 20}, (_, i) => (i + 1) * 10);
		expect(percentile(sorted, 0.5)).toBe(100);
		expect(percentile(sorted, 0.95)).toBe(190);
		expect(percentile([7], 0.95)).toBe(7);
		expect(percentile([], 0.5)).toBeNull();
	});

	it('counts, success, 429s and latency of those that reported one; busiest first, then by name', () => {
		const s = (model: string, latencyMs: number | null, failed = false, statusCode: number | null = failed ? 500 : 200) => ({model, latencyMs, ttftMs: latencyMs === null ? null : latencyMs / 4, failed, statusCode});
		const rows = latencyByModel([s('b', 100), s('b', 300), s('b', 200, true, 429), s('b', null), s('a', 50), s('c', 70, true)]);
		expect(rows.map(r => r.model)).toEqual(['b', 'a', 'c']);
		expect(rows[0]).toEqual({model: 'b', requests: 4, failed: 1, rateLimited: 1, successRate: 0.75, p50Ms: 200, p95Ms: 300, ttftP50Ms: 50});
		expect(rows[2]).toMatchObject({requests: 1, failed: 1, rateLimited: 0, successRate: 0});
	});

	it('formats latency for a narrow column', () => {
		expect([850, 1234, 65_000, null].map(formatLatency)).toEqual(['850ms', '1.2s', '65s', '–']);
	});
});
