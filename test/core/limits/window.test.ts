import {describe, expect, it} from 'vitest';
import {anchorExpiry, limitWindow, type WindowRule} from '../../../source/core/limits/window.js';
import type {Zone} from '../../../source/core/time/zone.js';

const berlin: Zone = {kind: 'iana', name: 'Europe/Berlin'};
const santiago: Zone = {kind: 'iana', name: 'America/Santiago'};
const plus7: Zone = {kind: 'fixed', offsetMinutes: 420};
const minus330: Zone = {kind: 'fixed', offsetMinutes: -210};
const H = 3_600_000;
const t = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const daily: WindowRule = {strategy: 'daily', windowMinutes: null, anchor: null};
const weekly: WindowRule = {strategy: 'weekly', windowMinutes: null, anchor: null};
const rolling300: WindowRule = {strategy: 'rolling', windowMinutes: 300, anchor: null};

function win(rule: WindowRule, now: string, zone: Zone) {
	const w = limitWindow(rule, t(now), zone);
	return {start: iso(w.start), next: iso(w.nextBoundary), anchored: w.anchored};
}

describe('daily windows', () => {
	it('switch at local midnight, to the millisecond (Berlin, winter)', () => {
		expect(win(daily, '2026-11-22T22:59:59.999Z', berlin)).toEqual({start: '2026-11-21T23:00:00.000Z', next: '2026-11-22T23:00:00.000Z', anchored: false});
		expect(win(daily, '2026-11-22T23:00:00.000Z', berlin)).toEqual({start: '2026-11-22T23:00:00.000Z', next: '2026-11-23T23:00:00.000Z', anchored: false});
	});

	it('last 23 hours on the spring-forward day and 25 on the fall-back day (Berlin)', () => {
		// 2026-03-29: 02:00 CET jumps to 03:00 CEST.
		expect(win(daily, '2026-03-29T00:59:59Z', berlin)).toMatchObject({start: '2026-03-28T23:00:00.000Z', next: '2026-03-29T22:00:00.000Z'});
		expect(win(daily, '2026-03-29T01:00:00Z', berlin)).toMatchObject({start: '2026-03-28T23:00:00.000Z', next: '2026-03-29T22:00:00.000Z'});
		expect(win(daily, '2026-03-29T22:00:00Z', berlin)).toMatchObject({start: '2026-03-29T22:00:00.000Z', next: '2026-03-30T22:00:00.000Z'});
		// 2026-10-25: 03:00 CEST falls back to 02:00 CET; both 02:30s belong to the same day.
		for (const now of ['2026-10-25T00:30:00Z', '2026-10-25T01:30:00Z']) {
			expect(win(daily, now, berlin)).toMatchObject({start: '2026-10-24T22:00:00.000Z', next: '2026-10-25T23:00:00.000Z'});
		}
	});

	it('start at 01:00 on a day whose midnight DST skipped (Santiago, 2026-09-06)', () => {
		expect(win(daily, '2026-09-06T03:59:59Z', santiago)).toMatchObject({start: '2026-09-05T04:00:00.000Z', next: '2026-09-06T04:00:00.000Z'});
		expect(win(daily, '2026-09-06T15:00:00Z', santiago)).toMatchObject({start: '2026-09-06T04:00:00.000Z', next: '2026-09-07T03:00:00.000Z'});
	});

	it('use the fixed offset of TIMEZONE_OFFSET_HOURS, with no DST', () => {
		expect(win(daily, '2026-11-22T16:59:59.999Z', plus7)).toMatchObject({start: '2026-11-21T17:00:00.000Z', next: '2026-11-22T17:00:00.000Z'});
		expect(win(daily, '2026-11-22T17:00:00Z', plus7)).toMatchObject({start: '2026-11-22T17:00:00.000Z', next: '2026-11-23T17:00:00.000Z'});
		// Half-hour offset, and a date on which DST zones change: nothing moves.
		expect(win(daily, '2026-03-29T12:00:00Z', minus330)).toMatchObject({start: '2026-03-29T03:30:00.000Z', next: '2026-03-30T03:30:00.000Z'});
	});
});

describe('weekly windows', () => {
	it('start on Monday 00:00 local: Sunday 23:59:59.999 is still last week', () => {
		// 2026-11-23 is a Monday.
		expect(win(weekly, '2026-11-22T22:59:59.999Z', berlin)).toMatchObject({start: '2026-11-15T23:00:00.000Z', next: '2026-11-22T23:00:00.000Z'});
		expect(win(weekly, '2026-11-22T23:00:00Z', berlin)).toMatchObject({start: '2026-11-22T23:00:00.000Z', next: '2026-11-29T23:00:00.000Z'});
		expect(win(weekly, '2026-11-26T12:00:00Z', berlin)).toMatchObject({start: '2026-11-22T23:00:00.000Z', next: '2026-11-29T23:00:00.000Z'});
		expect(win(weekly, '2026-11-22T17:00:00Z', plus7)).toMatchObject({start: '2026-11-22T17:00:00.000Z', next: '2026-11-29T17:00:00.000Z'});
		expect(win(weekly, '2026-11-22T16:59:59Z', plus7)).toMatchObject({start: '2026-11-15T17:00:00.000Z'});
	});

	it('last 167 hours across spring forward and 169 across fall back (Berlin)', () => {
		const spring = limitWindow(weekly, t('2026-03-29T12:00:00Z'), berlin);
		expect(iso(spring.start)).toBe('2026-03-22T23:00:00.000Z');
		expect(iso(spring.nextBoundary)).toBe('2026-03-29T22:00:00.000Z');
		expect(spring.nextBoundary! - spring.start).toBe(167 * H);
		const fall = limitWindow(weekly, t('2026-10-25T01:30:00Z'), berlin);
		expect(iso(fall.start)).toBe('2026-10-18T22:00:00.000Z');
		expect(fall.nextBoundary! - fall.start).toBe(169 * H);
		const chile = limitWindow(weekly, t('2026-09-06T15:00:00Z'), santiago);
		expect([iso(chile.start), iso(chile.nextBoundary)]).toEqual(['2026-08-31T04:00:00.000Z', '2026-09-07T03:00:00.000Z']);
	});
});

describe('rolling windows', () => {
	it('run from now − window_minutes, whatever the zone or DST', () => {
		expect(win(rolling300, '2026-03-29T03:00:00Z', berlin)).toEqual({start: '2026-03-28T22:00:00.000Z', next: null, anchored: false});
		expect(win(rolling300, '2026-03-29T03:00:00Z', plus7)).toEqual({start: '2026-03-28T22:00:00.000Z', next: null, anchored: false});
	});
});

describe('the manual reset anchor', () => {
	it('holds a Wednesday reset of a weekly window until Monday 00:00, then expires', () => {
		const anchor = t('2026-11-25T10:00:00Z'); // Wednesday 11:00 Berlin
		const rule = {...weekly, anchor};
		expect(win(rule, '2026-11-25T10:00:00Z', berlin)).toEqual({start: '2026-11-25T10:00:00.000Z', next: '2026-11-29T23:00:00.000Z', anchored: true});
		expect(win(rule, '2026-11-29T22:59:59.999Z', berlin)).toEqual({start: '2026-11-25T10:00:00.000Z', next: '2026-11-29T23:00:00.000Z', anchored: true});
		expect(win(rule, '2026-11-29T23:00:00Z', berlin)).toEqual({start: '2026-11-29T23:00:00.000Z', next: '2026-12-06T23:00:00.000Z', anchored: false});
		expect(win(rule, '2026-12-02T10:00:00Z', berlin)).toMatchObject({start: '2026-11-29T23:00:00.000Z', anchored: false});
		expect(iso(anchorExpiry(rule, anchor, berlin))).toBe('2026-11-29T23:00:00.000Z');
	});

	it('holds a daily reset until local midnight', () => {
		const rule = {...daily, anchor: t('2026-11-23T14:00:00Z')};
		expect(win(rule, '2026-11-23T22:59:00Z', berlin)).toMatchObject({start: '2026-11-23T14:00:00.000Z', anchored: true});
		expect(win(rule, '2026-11-23T23:00:00Z', berlin)).toMatchObject({start: '2026-11-23T23:00:00.000Z', anchored: false});
		expect(win(rule, '2026-11-23T16:59:59Z', plus7)).toMatchObject({start: '2026-11-23T14:00:00.000Z', anchored: true});
		expect(win(rule, '2026-11-23T17:00:00Z', plus7)).toMatchObject({start: '2026-11-23T17:00:00.000Z', anchored: false});
	});

	it('holds a rolling reset until it is one window old', () => {
		const anchor = t('2026-11-23T10:00:00Z');
		const rule = {...rolling300, anchor};
		expect(win(rule, '2026-11-23T14:59:59Z', berlin)).toMatchObject({start: '2026-11-23T10:00:00.000Z', anchored: true});
		expect(win(rule, '2026-11-23T15:00:01Z', berlin)).toMatchObject({start: '2026-11-23T10:00:01.000Z', anchored: false});
		expect(iso(anchorExpiry(rule, anchor, berlin))).toBe('2026-11-23T15:00:00.000Z');
	});

	it('ignores an anchor older than the natural start, and counts one in the future as now', () => {
		expect(win({...weekly, anchor: t('2026-11-18T10:00:00Z')}, '2026-11-25T10:00:00Z', berlin)).toMatchObject({start: '2026-11-22T23:00:00.000Z', anchored: false});
		expect(win({...daily, anchor: t('2026-11-23T12:00:00Z')}, '2026-11-23T11:00:00Z', berlin)).toMatchObject({start: '2026-11-23T11:00:00.000Z', anchored: true});
	});

	it('holds a weekly reset made during the fall-back hour until the Monday after', () => {
		const rule = {...weekly, anchor: t('2026-10-25T01:30:00Z')};
		expect(win(rule, '2026-10-25T22:59:59Z', berlin)).toMatchObject({start: '2026-10-25T01:30:00.000Z', anchored: true});
		expect(win(rule, '2026-10-25T23:00:00Z', berlin)).toMatchObject({start: '2026-10-25T23:00:00.000Z', anchored: false});
	});
});
