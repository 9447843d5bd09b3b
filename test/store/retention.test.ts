import {describe, expect, it} from 'vitest';
import {periodRows} from '../../source/core/report/period-report.js';
import {retentionCutoff} from '../../source/core/time/retention.js';
import type {Zone} from '../../source/core/time/zone.js';
import {readDailyReport} from '../../source/store/daily-stats.js';
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
		const days = readDailyReport(db, zone, range);
		const gpt = readDailyReport(db, zone, range, 'gpt');
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
		expect(result.requests).toBeGreaterThan(old * 0.9);
		expect(count(db, 'SELECT count(*) n FROM requests')).toBe(total - result.requests);
		expect(count(db, 'SELECT count(*) n FROM requests WHERE ts >= ?', cutoff)).toBe(total - old);
		// What stays from before the cutoff lies in the UTC hours a local midnight cuts, and nowhere else.
		const leftOld = db.prepare('SELECT ts FROM requests WHERE ts < ?').all(cutoff) as Array<{ts: number}>;
		expect(leftOld.length).toBe(old - result.requests);
		const cutsHours = offsetMinutes % 60 !== 0;
		if (!cutsHours) expect(leftOld).toEqual([]);
		for (const {ts} of leftOld) {
			const midnight = Math.ceil((ts + offsetMinutes * 60_000) / 86_400_000) * 86_400_000 - offsetMinutes * 60_000;
			const nearest = Math.abs(midnight - ts) < H ? midnight : midnight - 86_400_000;
			expect(Math.floor(ts / H)).toBe(Math.floor(nearest / H));
		}
		expect(count(db, 'SELECT count(*) n FROM counter_deltas')).toBe(cutsHours ? 2 : 1);
		expect(reports(db, zone)).toEqual(before);
		expect(new StateStore(db).getNumber(PRUNED_BEFORE_KEY)).toBe(cutoff);
		expect(pruneRawRows(db, zone, cutoff)).toEqual({requests: 0, counterDeltas: 0});
	});

	it('does nothing on an empty database', () => {
		const {db} = seededDb({kind: 'iana', name: 'UTC'});
		expect(pruneRawRows(db, {kind: 'iana', name: 'UTC'}, now)).toEqual({requests: 0, counterDeltas: 0});
	});
});
