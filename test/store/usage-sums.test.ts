import {describe, expect, it} from 'vitest';
import {mergeSums} from '../../source/core/report/series.js';
import {addSums, zeroSums, type Sums} from '../../source/core/report/sums.js';
import {vocabulary} from '../../source/core/report/vocabulary.js';
import {recordFamily} from '../../source/core/pricing/token-family.js';
import {segments} from '../../source/core/time/segments.js';
import {recordFromRow, requestPages} from '../../source/store/request-rows.js';
import {minutesFrom} from '../../source/store/minute-rollup.js';
import {intervalCosts, intervalSums, memoSumsReader, rangeSums} from '../../source/store/usage-sums.js';
import {seededDb, spreadRecords} from '../support/seed.js';

const start = Date.parse('2026-10-20T00:00:00Z');
const end = Date.parse('2026-11-03T00:00:00Z');

function seeded() {
	const s = seededDb({kind: 'iana', name: 'UTC'});
	const records = spreadRecords(s.salt, start, end, 6000);
	for (let i = 0; i < records.length; i += 300) s.writer.ingest(records.slice(i, i + 300), end);
	const rows = [...requestPages(s.db, 0, 2 ** 47)].flat().map(row => ({row, record: recordFromRow(row)}));
	return {db: s.db, rows};
}

/** What the writer would add for the rows in [a, b), summed straight from them, one by one. */
function bruteForce(rows: ReturnType<typeof seeded>['rows'], a: number, b: number): Sums {
	const t = zeroSums();
	for (const {row, record} of rows) {
		if (row.ts < a || row.ts >= b) continue;
		const v = vocabulary(recordFamily(record.provider, record.executorType, record.model), record.tokens, record.breakdown);
		addSums(t, {
			requests: 1,
			failed: row.failed,
			rateLimited: row.failed && row.status_code === 429 ? 1 : 0,
			cancelled: row.failed && (row.status_code === 499 || row.status_code === 504) ? 1 : 0,
			...v,
			cost: row.cost_usd ?? 0,
			estimated: row.cost_estimated,
		});
	}
	return t;
}

const total = (bySeries: ReadonlyMap<number, Sums>): Sums => {
	const t = zeroSums();
	for (const s of bySeries.values()) addSums(t, s);
	return t;
};

function expectSums(actual: Sums, expected: Sums, what: string): void {
	const {cost: ac, ...a} = actual;
	const {cost: ec, ...e} = expected;
	expect(a, what).toEqual(e);
	expect(Math.abs(ac - ec), `${what}: cost`).toBeLessThan(1e-9);
}

/** A small deterministic generator, so a failure names its range and reproduces. */
function mulberry(seed: number): () => number {
	let a = seed;
	return () => {
		a = (a + 0x6d2b79f5) | 0;
		let t = Math.imul(a ^ (a >>> 15), 1 | a);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

describe('reads of the rollups', () => {
	it('equal the request rows summed one by one, for ranges that start and end anywhere', () => {
		const {db, rows} = seeded();
		const random = mulberry(42);
		const read = memoSumsReader(db);
		const ranges: Array<[number, number]> = [
			[start, end],
			[start - 1, end + 1],
			[Date.parse('2026-10-25T00:00:00Z'), Date.parse('2026-10-26T00:00:00Z')], // a whole UTC day
			[Date.parse('2026-10-25T18:15:00Z'), Date.parse('2026-10-26T18:15:00Z')], // a Kathmandu day
			[Date.parse('2026-10-25T01:00:00Z') + 1, Date.parse('2026-10-25T06:00:00Z') - 1], // a rolling 5 h, a millisecond in
			[Date.parse('2026-10-27T10:02:17.123Z'), Date.parse('2026-10-27T10:04:59.999Z')], // inside one 5-minute bucket
		];
		for (let i = 0; i < 60; i++) {
			const a = start - 3_600_000 + Math.floor(random() * (end - start + 7_200_000));
			const length = [299_999, 300_000, 3_600_000, 5 * 3_600_000, 86_400_000, 7 * 86_400_000][i % 6]! + Math.floor(random() * 600_000) - 300_000;
			ranges.push([a, a + Math.max(1, length)]);
		}
		for (const [a, b] of ranges) {
			const what = `[${new Date(a).toISOString()}, ${new Date(b).toISOString()})`;
			const want = bruteForce(rows, a, b);
			expectSums(total(rangeSums(db, a, b)), want, what);
			expectSums(total(read(a, b)), want, `${what} (memo)`);
		}
		// Many intervals in one go (a report's days, a chart's hours) say the same as one read each.
		const hours = Array.from({length: 30}, (_, i): [number, number] => [start + 13 * 60_000 + i * 3_600_000, start + 13 * 60_000 + (i + 1) * 3_600_000]);
		intervalSums(db, hours).forEach((bySeries, i) => expectSums(total(bySeries), bruteForce(rows, ...hours[i]!), `hour ${i}`));
		intervalCosts(db, hours, read).forEach((cost, i) => expect(Math.abs(cost - bruteForce(rows, ...hours[i]!).cost), `hour ${i} cost`).toBeLessThan(1e-9));
		// The last eight days were read from the 1-minute rollup, the older edges from the rows.
		expect(minutesFrom(db)).toBe(end - 8 * 86_400_000);
		const levels = new Set(ranges.flatMap(([a, b]) => segments(a, b, minutesFrom(db)).map(x => x.level)));
		expect([...levels].sort()).toEqual(['1d', '1h', '1m', '5m', 'raw']);
		// Per series, not only in total.
		const [a, b] = ranges[4]!;
		expect(mergeSums(segments(a, b).map(seg => rangeSums(db, seg.start, seg.end)))).toEqual(rangeSums(db, a, b));
	});

	it('keep the 1-minute rollup to the last eight days as time moves on, and stay exact across its start', () => {
		const s = seededDb({kind: 'iana', name: 'UTC'});
		const day = 86_400_000;
		const t0 = Date.parse('2026-11-01T00:00:00Z');
		const records = spreadRecords(s.salt, t0, t0 + 12 * day, 4000);
		// Written as it happens: each day's requests at the end of that day.
		for (let d = 0; d < 12; d++) s.writer.ingest(records.filter(r => r.timestampMs >= t0 + d * day && r.timestampMs < t0 + (d + 1) * day), t0 + (d + 1) * day);
		const from = minutesFrom(s.db);
		expect(from).toBe(t0 + 12 * day - 8 * day);
		const oldest = (s.db.prepare('SELECT min(t) t FROM usage_1m').get() as {t: number}).t;
		expect(oldest).toBeGreaterThanOrEqual(from);
		// Every minute kept holds what its five minutes hold.
		const m = s.db.prepare('SELECT sum(requests) n, round(sum(cost), 9) c FROM usage_1m').get();
		expect(m).toEqual(s.db.prepare('SELECT sum(requests) n, round(sum(cost), 9) c FROM usage_5m WHERE t >= ?').get(from));
		// A late record from before the minutes start lands in the coarser rollups only.
		const late = spreadRecords(s.salt, t0 + day + 7, t0 + day + 8, 1).map(r => ({...r, key: `${r.key}-late`}));
		expect(s.writer.ingest(late, t0 + 12 * day).inserted).toBe(1);
		expect((s.db.prepare('SELECT count(*) n FROM usage_1m WHERE t < ?').get(from) as {n: number}).n).toBe(0);
		const rows = [...requestPages(s.db, 0, 2 ** 47)].flat().map(row => ({row, record: recordFromRow(row)}));
		for (const [a, b] of [
			[from - 90_000 - 123, from + 4 * 60_000 + 17],
			[t0 + day + 1, t0 + day + 120_000],
			[from + 37_000, t0 + 12 * day],
		] as Array<[number, number]>) {
			expectSums(total(rangeSums(s.db, a, b)), bruteForce(rows, a, b), `[${new Date(a).toISOString()}, ${new Date(b).toISOString()})`);
		}
	});
});
