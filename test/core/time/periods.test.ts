import {describe, expect, it} from 'vitest';
import {periodRange} from '../../../source/core/time/periods.js';
import type {Zone} from '../../../source/core/time/zone.js';

const berlin: Zone = {kind: 'iana', name: 'Europe/Berlin'};
const t = (iso: string) => Date.parse(iso);
const range = (p: Parameters<typeof periodRange>[0], zone: Zone, now: string) => {
	const r = periodRange(p, zone, t(now));
	return [new Date(r.start).toISOString(), new Date(r.end).toISOString()];
};

describe('dashboard periods', () => {
	it('count local days, through now', () => {
		const now = '2026-11-23T10:00:00.000Z';
		expect(range('today', berlin, now)).toEqual(['2026-11-22T23:00:00.000Z', '2026-11-23T10:00:00.001Z']);
		expect(range('yesterday', berlin, now)).toEqual(['2026-11-21T23:00:00.000Z', '2026-11-22T23:00:00.000Z']);
		expect(range('7d', berlin, now)).toEqual(['2026-11-16T23:00:00.000Z', '2026-11-23T10:00:00.001Z']);
		expect(range('30d', berlin, now)).toEqual(['2026-10-24T22:00:00.000Z', '2026-11-23T10:00:00.001Z']); // before the fall-back
	});

	it('switch at local midnight and span DST changes by calendar day', () => {
		expect(range('today', berlin, '2026-11-22T22:59:59.999Z')[0]).toBe('2026-11-21T23:00:00.000Z');
		expect(range('yesterday', berlin, '2026-03-30T12:00:00Z')).toEqual(['2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z']); // 23 h
		expect(range('today', {kind: 'fixed', offsetMinutes: 420}, '2026-11-22T17:00:00Z')[0]).toBe('2026-11-22T17:00:00.000Z');
	});
});
