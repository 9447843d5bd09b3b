import {describe, expect, it} from 'vitest';
import {DayLookup, localDate, startOfDay, startOfNextDay, startOfWeek, wallToInstant, zoneLabel, type Zone} from '../../../source/core/time/zone.js';

const berlin: Zone = {kind: 'iana', name: 'Europe/Berlin'};
const newYork: Zone = {kind: 'iana', name: 'America/New_York'};
const santiago: Zone = {kind: 'iana', name: 'America/Santiago'};
const kolkata: Zone = {kind: 'iana', name: 'Asia/Kolkata'};
const plus7: Zone = {kind: 'fixed', offsetMinutes: 420};
const t = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('local days', () => {
	it('puts one second before and at local midnight on different days', () => {
		expect(localDate(berlin, t('2026-11-22T22:59:59Z'))).toBe('2026-11-22');
		expect(localDate(berlin, t('2026-11-22T23:00:00Z'))).toBe('2026-11-23');
		expect(localDate(plus7, t('2026-11-22T16:59:59.999Z'))).toBe('2026-11-22');
		expect(localDate(plus7, t('2026-11-22T17:00:00Z'))).toBe('2026-11-23');
	});

	it('gives 23- and 25-hour days across DST in Berlin and New York', () => {
		const spring = t('2026-03-29T12:00:00Z');
		expect(iso(startOfDay(berlin, spring))).toBe('2026-03-28T23:00:00.000Z');
		expect(startOfNextDay(berlin, spring) - startOfDay(berlin, spring)).toBe(23 * 3_600_000);
		const fall = t('2026-10-25T12:00:00Z');
		expect(iso(startOfDay(berlin, fall))).toBe('2026-10-24T22:00:00.000Z');
		expect(startOfNextDay(berlin, fall) - startOfDay(berlin, fall)).toBe(25 * 3_600_000);
		expect(iso(startOfDay(newYork, t('2026-03-08T12:00:00Z')))).toBe('2026-03-08T05:00:00.000Z');
		expect(iso(startOfNextDay(newYork, t('2026-11-01T12:00:00Z')))).toBe('2026-11-02T05:00:00.000Z');
	});

	it('resolves wall times in a DST gap forward and ambiguous ones to the earlier instant', () => {
		expect(iso(wallToInstant(berlin, 2026, 3, 29, 2, 30))).toBe('2026-03-29T01:30:00.000Z'); // 03:30 CEST
		expect(iso(wallToInstant(berlin, 2026, 10, 25, 2, 30))).toBe('2026-10-25T00:30:00.000Z'); // first 02:30 (CEST)
		expect(iso(wallToInstant(newYork, 2026, 11, 1, 1, 30))).toBe('2026-11-01T05:30:00.000Z'); // first 01:30 (EDT)
	});

	it('starts a day whose midnight DST skipped at 01:00 (Santiago, 2024-09-08)', () => {
		const start = startOfDay(santiago, t('2024-09-08T15:00:00Z'));
		expect(iso(start)).toBe('2024-09-08T04:00:00.000Z');
		expect(localDate(santiago, start)).toBe('2024-09-08');
		expect(localDate(santiago, start - 1)).toBe('2024-09-07');
	});

	it('handles half-hour offsets', () => {
		expect(iso(startOfDay(kolkata, t('2026-11-23T00:00:00Z')))).toBe('2026-11-22T18:30:00.000Z');
	});

	it('caches day spans without changing answers', () => {
		const lookup = new DayLookup(berlin);
		for (const at of ['2026-10-24T21:59:59Z', '2026-10-24T22:00:00Z', '2026-10-25T22:59:59Z', '2026-10-25T23:00:00Z', '2026-10-24T12:00:00Z']) {
			expect(lookup.dateOf(t(at))).toBe(localDate(berlin, t(at)));
		}
	});
});

describe('weeks start on Monday 00:00 local', () => {
	it('Sunday 23:59 belongs to the week before, Monday 00:00 starts the next', () => {
		// 2026-11-23 is a Monday.
		expect(iso(startOfWeek(berlin, t('2026-11-22T22:59:59Z')))).toBe('2026-11-15T23:00:00.000Z');
		expect(iso(startOfWeek(berlin, t('2026-11-22T23:00:00Z')))).toBe('2026-11-22T23:00:00.000Z');
		expect(iso(startOfWeek(plus7, t('2026-11-22T17:00:00Z')))).toBe('2026-11-22T17:00:00.000Z');
		expect(iso(startOfWeek(plus7, t('2026-11-22T16:59:59Z')))).toBe('2026-11-15T17:00:00.000Z');
	});

	it('a week containing the fall-back change is 169 hours long', () => {
		const start = startOfWeek(berlin, t('2026-10-25T12:00:00Z'));
		expect(iso(start)).toBe('2026-10-18T22:00:00.000Z');
		expect(startOfWeek(berlin, start + 7 * 86_400_000 + 3_600_000) - start).toBe(169 * 3_600_000);
	});
});

describe('zoneLabel', () => {
	it('names IANA zones and formats fixed offsets', () => {
		expect(zoneLabel(berlin)).toBe('Europe/Berlin');
		expect(zoneLabel(plus7)).toBe('UTC+07:00');
		expect(zoneLabel({kind: 'fixed', offsetMinutes: -210})).toBe('UTC-03:30');
	});
});
