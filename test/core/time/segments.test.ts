import {describe, expect, it} from 'vitest';
import {segments} from '../../../source/core/time/segments.js';

const T = (s: string) => Date.parse(s);

describe('segments', () => {
	it('cuts a range into days, hours, five minutes, and raw edges under five minutes', () => {
		expect(segments(T('2026-11-20T21:37:12Z'), T('2026-11-23T09:02:30Z'))).toEqual([
			{level: 'raw', start: T('2026-11-20T21:37:12Z'), end: T('2026-11-20T21:40:00Z')},
			{level: '5m', start: T('2026-11-20T21:40:00Z'), end: T('2026-11-20T22:00:00Z')},
			{level: '1h', start: T('2026-11-20T22:00:00Z'), end: T('2026-11-21T00:00:00Z')},
			{level: '1d', start: T('2026-11-21T00:00:00Z'), end: T('2026-11-23T00:00:00Z')},
			{level: '1h', start: T('2026-11-23T00:00:00Z'), end: T('2026-11-23T09:00:00Z')},
			{level: 'raw', start: T('2026-11-23T09:00:00Z'), end: T('2026-11-23T09:02:30Z')},
		]);
	});

	it('needs no raw rows for a local day in any real zone (Kathmandu +5:45, St Johns −3:30)', () => {
		for (const [from, to] of [
			['2026-11-20T18:15:00Z', '2026-11-21T18:15:00Z'],
			['2026-11-20T03:30:00Z', '2026-11-21T03:30:00Z'],
		]) {
			const s = segments(T(from!), T(to!));
			expect(s.some(x => x.level === 'raw')).toBe(false);
			expect(s[0]!.start).toBe(T(from!));
			expect(s.at(-1)!.end).toBe(T(to!));
			for (let i = 1; i < s.length; i++) expect(s[i]!.start).toBe(s[i - 1]!.end);
		}
	});

	it('short ranges stay at the finest level they fill', () => {
		expect(segments(1000, 2000)).toEqual([{level: 'raw', start: 1000, end: 2000}]);
		expect(segments(T('2026-11-20T10:03:00Z'), T('2026-11-20T10:11:00Z'))).toEqual([
			{level: 'raw', start: T('2026-11-20T10:03:00Z'), end: T('2026-11-20T10:05:00Z')},
			{level: '5m', start: T('2026-11-20T10:05:00Z'), end: T('2026-11-20T10:10:00Z')},
			{level: 'raw', start: T('2026-11-20T10:10:00Z'), end: T('2026-11-20T10:11:00Z')},
		]);
		expect(segments(5, 5)).toEqual([]);
	});
});

describe('segments with the 1-minute rollup', () => {
	it('reads whole minutes from it where it is kept, leaving under a minute at each edge to the rows', () => {
		const from = T('2026-11-20T00:00:00Z');
		expect(segments(T('2026-11-23T09:02:30Z'), T('2026-11-23T09:17:45.5Z'), from)).toEqual([
			{level: 'raw', start: T('2026-11-23T09:02:30Z'), end: T('2026-11-23T09:03:00Z')},
			{level: '1m', start: T('2026-11-23T09:03:00Z'), end: T('2026-11-23T09:05:00Z')},
			{level: '5m', start: T('2026-11-23T09:05:00Z'), end: T('2026-11-23T09:15:00Z')},
			{level: '1m', start: T('2026-11-23T09:15:00Z'), end: T('2026-11-23T09:17:00Z')},
			{level: 'raw', start: T('2026-11-23T09:17:00Z'), end: T('2026-11-23T09:17:45.5Z')},
		]);
	});

	it('falls back to the rows before the minutes start, and splits an edge that straddles that instant', () => {
		const from = T('2026-11-23T09:03:00Z');
		const s = segments(T('2026-11-23T09:01:10Z'), T('2026-11-23T09:04:20Z'), from);
		expect(s).toEqual([
			{level: 'raw', start: T('2026-11-23T09:01:10Z'), end: T('2026-11-23T09:03:00Z')},
			{level: '1m', start: T('2026-11-23T09:03:00Z'), end: T('2026-11-23T09:04:00Z')},
			{level: 'raw', start: T('2026-11-23T09:04:00Z'), end: T('2026-11-23T09:04:20Z')},
		]);
		// Without minutes the same range is read from the rows alone.
		expect(segments(T('2026-11-23T09:01:10Z'), T('2026-11-23T09:04:20Z'))).toEqual([{level: 'raw', start: T('2026-11-23T09:01:10Z'), end: T('2026-11-23T09:04:20Z')}]);
	});
});
