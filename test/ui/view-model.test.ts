import {describe, expect, it} from 'vitest';
import {nextFrameIn, type GaugeView} from '../../source/ui/view-model.js';

describe('nextFrameIn', () => {
	const gauge = (resetsAt: number | null, exhaustsAt: number | null): GaugeView => ({key: 'limit:1', kind: 'yours', title: 't', ratio: 0.5, label: 'l', resetsAt, exhaustsAt, exhausted: false, estimated: false});
	const now = Date.UTC(2026, 10, 23, 12, 0, 0);

	it('is a minute with nothing counting down', () => {
		expect(nextFrameIn([], now)).toBe(60_000);
		expect(nextFrameIn([gauge(null, null)], now)).toBe(60_000);
	});

	it('is the first gauge countdown to change its text', () => {
		// Resets in 4h29m20s: "4h29m" turns "4h28m" in 20.5 s. Exhausts in 7h56m50s: in 50.5 s.
		const a = gauge(now + (4 * 60 + 29) * 60_000 + 20_000, now + (7 * 60 + 56) * 60_000 + 50_000);
		expect(nextFrameIn([a], now)).toBe(20_501);
		// A second gauge counting seconds wins.
		expect(nextFrameIn([a, gauge(now + 42_300, null)], now)).toBe(801);
	});

	it('ignores countdowns already over', () => {
		expect(nextFrameIn([gauge(now - 5_000, now - 1)], now)).toBe(60_000);
	});
});
