import {describe, expect, it} from 'vitest';
import {pruneSegments, retentionCutoff} from '../../../source/core/time/retention.js';
import type {Zone} from '../../../source/core/time/zone.js';

const H = 3_600_000;
const utc: Zone = {kind: 'iana', name: 'UTC'};
const berlin: Zone = {kind: 'iana', name: 'Europe/Berlin'};
const kolkata: Zone = {kind: 'iana', name: 'Asia/Kolkata'}; // UTC+5:30
const lordHowe: Zone = {kind: 'iana', name: 'Australia/Lord_Howe'}; // +10:30, +11 in summer
const t = (iso: string) => Date.parse(iso);

describe('retentionCutoff', () => {
	it('is local midnight N days before today, across a DST change', () => {
		expect(retentionCutoff(berlin, t('2026-11-23T10:00:00Z'), 30)).toBe(t('2026-10-23T22:00:00Z')); // CEST then
		expect(retentionCutoff(berlin, t('2026-11-22T23:30:00Z'), 7)).toBe(t('2026-11-15T23:00:00Z')); // already the 23rd in Berlin
		expect(retentionCutoff({kind: 'fixed', offsetMinutes: -210}, t('2026-11-23T02:00:00Z'), 7)).toBe(t('2026-11-15T03:30:00Z'));
	});
});

describe('pruneSegments', () => {
	it('deletes whole local days where midnights fall on the hour', () => {
		expect(pruneSegments(utc, t('2026-11-01T05:00:00Z'), t('2026-11-03T00:00:00Z'))).toEqual([
			[t('2026-11-01T00:00:00Z'), t('2026-11-02T00:00:00Z')],
			[t('2026-11-02T00:00:00Z'), t('2026-11-03T00:00:00Z')],
		]);
		const berlinDays = pruneSegments(berlin, t('2026-10-24T12:00:00Z'), t('2026-10-26T23:00:00Z'));
		expect(berlinDays.map(([a, b]) => (b - a) / H)).toEqual([24, 25, 24]);
	});

	it('deletes whole local days where midnights fall inside a UTC hour: the 5-minute rollups hold them', () => {
		// Kolkata's midnight is 18:30 UTC.
		expect(pruneSegments(kolkata, t('2026-11-01T20:00:00Z'), t('2026-11-03T18:30:00Z'))).toEqual([
			[t('2026-11-01T18:30:00Z'), t('2026-11-02T18:30:00Z')],
			[t('2026-11-02T18:30:00Z'), t('2026-11-03T18:30:00Z')],
		]);
	});

	it('follows a half-hour DST shift', () => {
		// Lord Howe goes from +11 to +10:30 on 2026-04-05 at 02:00 local.
		const segments = pruneSegments(lordHowe, t('2026-04-02T14:00:00Z'), t('2026-04-07T13:30:00Z'));
		expect(segments[0]).toEqual([t('2026-04-02T13:00:00Z'), t('2026-04-03T13:00:00Z')]);
		expect(segments.map(([a, b]) => (b - a) / 60_000)).toEqual([1440, 1440, 1470, 1440, 1440]);
		expect(segments.at(-1)).toEqual([t('2026-04-06T13:30:00Z'), t('2026-04-07T13:30:00Z')]);
	});

	it('has nothing to do before the data starts', () => {
		expect(pruneSegments(utc, t('2026-11-05T00:00:00Z'), t('2026-11-05T00:00:00Z'))).toEqual([]);
	});
});
