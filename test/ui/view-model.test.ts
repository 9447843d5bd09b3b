import {describe, expect, it} from 'vitest';
import {shortDurationChangesIn} from '../../source/core/report/format.js';
import {GATHER_COUNTDOWNS_MS, nextFrameIn, type GaugeView} from '../../source/ui/view-model.js';

describe('nextFrameIn', () => {
	const gauge = (resetsAt: number | null, exhaustsAt: number | null): GaugeView => ({key: 'limit:1', kind: 'yours', title: 't', ratio: 0.5, label: 'l', resetsAt, exhaustsAt, exhausted: false, estimated: false});
	const now = Date.UTC(2026, 10, 23, 12, 0, 0);

	it('is a minute with nothing counting down', () => {
		expect(nextFrameIn([], now)).toBe(60_000);
		expect(nextFrameIn([gauge(null, null)], now)).toBe(60_000);
	});

	it('is the first gauge countdown to change its text, minutes gathered for up to 10 s', () => {
		// Resets in 4h29m20s: "4h29m" turns "4h28m" in 20.5 s. Exhausts in 7h56m50s: in 50.5 s.
		const a = gauge(now + (4 * 60 + 29) * 60_000 + 20_000, now + (7 * 60 + 56) * 60_000 + 50_000);
		expect(nextFrameIn([a], now)).toBe(20_501 + GATHER_COUNTDOWNS_MS);
		// A second gauge counting seconds wins.
		expect(nextFrameIn([a, gauge(now + 42_300, null)], now)).toBe(801);
	});

	it('draws thirty windows resetting at thirty seconds of the minute in a few renders, none later than 10 s', () => {
		const gauges = Array.from({length: 30}, (_, i) => gauge(now + 2 * 3_600_000 + i * 2_000 + 500, null));
		let t = now;
		const renders: number[] = [];
		while (t < now + 60_000) {
			t += nextFrameIn(gauges, t);
			renders.push(t);
		}
		expect(renders.length).toBeLessThanOrEqual(7);
		// Each window's minute text turns at its reset's second of the minute; each is drawn within 10 s of it.
		for (const g of gauges) {
			const change = now + shortDurationChangesIn(g.resetsAt! - now);
			const drawn = renders.find(r => r >= change)!;
			expect(drawn - change).toBeLessThanOrEqual(GATHER_COUNTDOWNS_MS);
		}
	});

	it('ignores countdowns already over', () => {
		expect(nextFrameIn([gauge(now - 5_000, now - 1)], now)).toBe(60_000);
	});
});
