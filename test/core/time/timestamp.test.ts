import {describe, expect, it} from 'vitest';
import {parseTimestamp} from '../../../source/core/time/timestamp.js';

describe('parseTimestamp', () => {
	it('reads Go RFC3339Nano in any offset to the same instant and canonical key', () => {
		const utc = parseTimestamp('2024-05-20T09:15:04.123456789Z');
		const plus8 = parseTimestamp('2024-05-20T17:15:04.123456789+08:00');
		expect(utc).toEqual({ms: Date.parse('2024-05-20T09:15:04.123Z'), canonical: '1716196504.123456789'});
		expect(plus8).toEqual(utc);
	});

	it('keeps nanoseconds that differ within one millisecond apart', () => {
		const a = parseTimestamp('2024-05-20T09:15:04.1234561Z')!;
		const b = parseTimestamp('2024-05-20T09:15:04.1234562Z')!;
		expect(a.ms).toBe(b.ms);
		expect(a.canonical).not.toBe(b.canonical);
	});

	it('knows leap days', () => {
		expect(parseTimestamp('2024-02-29T12:00:00Z')?.ms).toBe(Date.parse('2024-02-29T12:00:00Z'));
		expect(parseTimestamp('2000-02-29T12:00:00Z')).toBeDefined();
		expect(parseTimestamp('2100-02-29T12:00:00Z')).toBeUndefined();
	});

	it('accepts no fraction and short fractions', () => {
		expect(parseTimestamp('2024-05-20T09:15:04Z')?.canonical).toBe('1716196504.000000000');
		expect(parseTimestamp('2024-05-20T09:15:04.5-03:30')?.ms).toBe(Date.parse('2024-05-20T12:45:04.500Z'));
	});

	it('rejects what is not a timestamp', () => {
		for (const bad of [
			'', 'yesterday', '2024-05-20', '2024-02-30T00:00:00Z', '2023-02-29T00:00:00Z', '2024-05-20T25:00:00Z', '0001-01-01T00:00:00Z',
			'2024-05-20T09:15:04.1234567890Z', '2024-05-20T0x:15:04Z', '2024-05-20T09:1x:04Z', '2024-05-20T09:15:0xZ', '2024-05-20T09:15:04.Z',
			'2024-05-20T09:15:04+0x:00', '2024-05-20T09:15:04+08:00junk', '2024-05-20T09:15:04Zjunk', '2024/05/20T09:15:04Z', '2024-05-20X09:15:04Z',
		]) {
			expect(parseTimestamp(bad), bad).toBeUndefined();
		}
	});
});
