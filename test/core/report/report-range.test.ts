import {describe, expect, it} from 'vitest';
import {DateRangeError, END_OF_TIME, parseDateRange, periodDates, periodOf, rangeInstants} from '../../../source/core/report/report-range.js';
import type {Zone} from '../../../source/core/time/zone.js';

const berlin: Zone = {kind: 'iana', name: 'Europe/Berlin'};
const plus7: Zone = {kind: 'fixed', offsetMinutes: 420};

describe('parseDateRange', () => {
	it('takes real dates, either end open', () => {
		expect(parseDateRange('2026-11-01', '2026-11-30')).toEqual({from: '2026-11-01', to: '2026-11-30'});
		expect(parseDateRange(undefined, '2024-02-29')).toEqual({from: null, to: '2024-02-29'});
		expect(parseDateRange(undefined, undefined)).toEqual({from: null, to: null});
	});

	it.each([
		['2026-13-01', undefined, '--since must be a calendar date as YYYY-MM-DD, such as 2026-11-01 (got "2026-13-01")'],
		[undefined, '2026-02-29', '--until must be a calendar date as YYYY-MM-DD, such as 2026-11-01 (got "2026-02-29")'],
		['20261101', undefined, '--since must be a calendar date'],
		['2026-11-10', '2026-11-01', '--since 2026-11-10 is after --until 2026-11-01: swap them'],
	])('rejects since=%s until=%s, naming the flag', (since, until, message) => {
		expect(() => parseDateRange(since, until)).toThrow(DateRangeError);
		expect(() => parseDateRange(since, until)).toThrow(message);
	});

	it('names the HTTP parameters when asked', () => {
		expect(() => parseDateRange('x', undefined, {since: 'from', until: 'to'})).toThrow(/^from must be/);
	});
});

describe('rangeInstants', () => {
	it('runs from local midnight of the first day to local midnight after the last, DST included', () => {
		// 2026-10-25 is Berlin's 25-hour day (CEST → CET).
		expect(rangeInstants(berlin, {from: '2026-10-25', to: '2026-10-25'})).toEqual({start: Date.parse('2026-10-24T22:00:00Z'), end: Date.parse('2026-10-25T23:00:00Z')});
		expect(rangeInstants(plus7, {from: '2026-11-01', to: '2026-11-01'})).toEqual({start: Date.parse('2026-10-31T17:00:00Z'), end: Date.parse('2026-11-01T17:00:00Z')});
		expect(rangeInstants(berlin, {from: null, to: null})).toEqual({start: 0, end: END_OF_TIME});
		expect(END_OF_TIME % 3_600_000).toBe(0);
	});
});

describe('periods', () => {
	it('weeks start on Monday, across month and year ends', () => {
		expect(periodOf('weekly', '2026-11-23')).toBe('2026-11-23'); // a Monday
		expect(periodOf('weekly', '2026-11-29')).toBe('2026-11-23'); // Sunday
		expect(periodOf('weekly', '2026-11-30')).toBe('2026-11-30');
		expect(periodOf('weekly', '2027-01-01')).toBe('2026-12-28');
		expect(periodOf('monthly', '2026-11-23')).toBe('2026-11');
		expect(periodOf('daily', '2026-11-23')).toBe('2026-11-23');
	});

	it('cover their dates, clipped to the range', () => {
		const open = {from: null, to: null};
		expect(periodDates('weekly', '2026-12-28', open)).toEqual({first: '2026-12-28', last: '2027-01-03'});
		expect(periodDates('monthly', '2024-02', open)).toEqual({first: '2024-02-01', last: '2024-02-29'});
		expect(periodDates('monthly', '2026-12', open)).toEqual({first: '2026-12-01', last: '2026-12-31'});
		expect(periodDates('weekly', '2026-11-23', {from: '2026-11-25', to: '2026-11-27'})).toEqual({first: '2026-11-25', last: '2026-11-27'});
		expect(periodDates('daily', '2026-11-23', open)).toEqual({first: '2026-11-23', last: '2026-11-23'});
	});
});
