import {describe, expect, it} from 'vitest';
import {formatShortDuration, shortDurationChangesIn} from '../../../source/core/report/format.js';

describe('shortDurationChangesIn', () => {
	it('is exactly when the countdown text changes, at every scale', () => {
		const lefts = [1_600, 2_499, 2_500, 59_400, 59_600, 61_000, 3_599_400, 3_600_600, 5_430_000, 35_999_400, 36_000_700, 47 * 3_600_000 + 123_456, 6 * 86_400_000 + 4 * 3_600_000 + 999];
		// and a deterministic spread over nine days
		for (let i = 1; i < 400; i++) lefts.push(Math.floor((i * 7_919_993) % (9 * 86_400_000)));
		for (const left of lefts) {
			const text = formatShortDuration(left);
			const wait = shortDurationChangesIn(left);
			if (text === '0s') {
				expect(wait).toBe(Infinity);
				continue;
			}
			expect(formatShortDuration(left - (wait - 1)), `${left} ms left, ${wait} ms wait`).toBe(text);
			expect(formatShortDuration(left - wait), `${left} ms left, ${wait} ms wait`).not.toBe(text);
		}
	});

	it('waits a second for seconds, a minute for minutes, an hour beyond ten hours', () => {
		expect(shortDurationChangesIn(30_000)).toBe(501);
		expect(shortDurationChangesIn(30 * 60_000)).toBe(501);
		expect(shortDurationChangesIn(30 * 60_000 + 20_000)).toBe(20_501);
		expect(shortDurationChangesIn(12 * 3_600_000)).toBe(501);
		expect(shortDurationChangesIn(12 * 3_600_000 - 1_000)).toBe(3_599_501);
		expect(shortDurationChangesIn(400)).toBe(Infinity);
		expect(shortDurationChangesIn(-5_000)).toBe(Infinity);
	});
});
