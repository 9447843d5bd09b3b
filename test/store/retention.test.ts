import {describe, expect, it} from 'vitest';
import {periodRows} from '../../source/core/report/period-report.js';
import {retentionCutoff} from '../../source/core/time/retention.js';
import type {Zone} from '../../source/core/time/zone.js';
import {readDailyStats} from '../../source/store/daily-stats.js';
import {readModelTotals} from '../../source/store/model-totals.js';
import {PRUNED_BEFORE_KEY, pruneRawRows} from '../../source/store/retention.js';
import {StateStore} from '../../source/store/state.js';
import {seededDb, spreadRecords} from '../support/seed.js';

const H = 3_600_000;
const now = Date.parse('2026-11-23T09:00:00Z');
const start = now - 50 * 86_400_000;

/** `offsetMinutes`: the zone's offset in October 2026. */
function seeded(zone: Zone, offsetMinutes: number) {
	const s = seededDb(zone);
	const records = spreadRecords(s.salt, start, now, 6000);
	for (let i = 0; i < records.length; i += 500) s.writer.ingest(records.slice(i, i + 500), now);
	// Legacy requests known only from counters: one inside an ordinary stretch, one across a local midnight, one recent.
	const delta = (from: number, to: number, requests: number) =>
		s.writer.ingest([], now, batch => s.writer.addCounterDeltas(batch, [{arrayId: 'a', apiLabel: 'POST /v1/chat/completions', model: 'gpt-4o', requests, tokens: requests * 400}], {start: from, end: to}, now));
	delta(Date.parse('2026-10-10T06:10:00Z'), Date.parse('2026-10-10T07:40:00Z'), 30);
	const midnight = Date.UTC(2026, 9, 12) - offsetMinutes * 60_000;
	delta(midnight - 40 * 60_000, midnight + 50 * 60_000, 17);
	delta(now - 2 * H, now - H, 5);
	return s;
}

/** Every report a user can ask for, over old, new and mixed dates. */
function reports(db: ReturnType<typeof seeded>['db'], zone: Zone) {
	const ranges = [
		{from: null, to: null},
		{from: '2026-10-05', to: '2026-10-12'},
		{from: '2026-10-11', to: '2026-10-11'},
		{from: '2026-10-20', to: '2026-11-05'},
	];
	return ranges.map(range => {
		const days = readDailyStats(db, zone, range, now);
		const gpt = readDailyStats(db, zone, range, now, 'gpt');
		return {
			days,
			gpt,
			weeks: periodRows('weekly', days, range),
			months: periodRows('monthly', gpt, range),
			models: readModelTotals(db, zone, range),
		};
	});
}

const count = (db: ReturnType<typeof seeded>['db'], sql: string, ...params: unknown[]) => (db.prepare(sql).get(...params) as {n: number}).n;

describe('pruneRawRows', () => {
	it.each<[string, Zone, number]>([
		['Europe/Berlin (midnight on the hour, a DST change inside)', {kind: 'iana', name: 'Europe/Berlin'}, 120],
		['Asia/Kolkata (midnight at half past)', {kind: 'iana', name: 'Asia/Kolkata'}, 330],
		['UTC-03:30 fixed', {kind: 'fixed', offsetMinutes: -210}, -210],
	])('drops old raw rows and leaves every report unchanged: %s', (_name, zone, offsetMinutes) => {
		const {db} = seeded(zone, offsetMinutes);
		const before = reports(db, zone);
		const cutoff = retentionCutoff(zone, now, 30);
		const total = count(db, 'SELECT count(*) n FROM requests');
		const old = count(db, 'SELECT count(*) n FROM requests WHERE ts < ?', cutoff);
		const planned = pruneRawRows(db, zone, cutoff, {dryRun: true});
		expect(count(db, 'SELECT count(*) n FROM requests')).toBe(total);

		const result = pruneRawRows(db, zone, cutoff);
		expect(result).toEqual(planned);
		// Every row before the cutoff goes, whatever the zone: its midnights lie on the rollups' 5-minute grid.
		expect(result.requests).toBe(old);
		expect(count(db, 'SELECT count(*) n FROM requests')).toBe(total - old);
		expect(count(db, 'SELECT count(*) n FROM requests WHERE ts < ?', cutoff)).toBe(0);
		expect(count(db, 'SELECT count(*) n FROM counter_deltas')).toBe(1);
		// The same history read in another zone after the prune: every local day before the cutoff is there too.
		const other: Zone = offsetMinutes === 120 ? {kind: 'iana', name: 'Asia/Kathmandu'} : {kind: 'iana', name: 'America/St_Johns'};
		expect(readDailyStats(db, other, {from: null, to: null}, now).reduce((n, d) => n + d.total_requests, 0)).toBe(before[0]!.days.reduce((n, d) => n + d.total_requests, 0));
		expect(reports(db, zone)).toEqual(before);
		expect(new StateStore(db).getNumber(PRUNED_BEFORE_KEY)).toBe(cutoff);
		expect(pruneRawRows(db, zone, cutoff)).toEqual({requests: 0, counterDeltas: 0});
	});

	it('does nothing on an empty database', () => {
		const {db} = seededDb({kind: 'iana', name: 'UTC'});
		expect(pruneRawRows(db, {kind: 'iana', name: 'UTC'}, now)).toEqual({requests: 0, counterDeltas: 0});
	});
});
