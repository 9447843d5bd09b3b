import {mergeSums, type SeriesSums} from '../core/report/series.js';
import {addSums, zeroSums, type Sums} from '../core/report/sums.js';
import {VOCABULARY_SQL} from '../core/report/vocabulary.js';
import {segments, type Level, type Segment} from '../core/time/segments.js';
import type {Db} from './database.js';
import {minutesFrom} from './minute-rollup.js';
import {keyRange} from './time-range.js';

type Row = Sums & {id: number};
type DeltaRow = {id: number; requests: number; total_tokens: number; cost_usd: number | null; interval_start: number; interval_end: number};
type RollupLevel = Exclude<Level, 'raw'>;

const TABLE: Record<RollupLevel, string> = {'1m': 'usage_1m', '5m': 'usage_5m', '1h': 'usage_1h', '1d': 'usage_1d'};
const LEVELS: readonly RollupLevel[] = ['1d', '1h', '5m', '1m'];

const SUMS = `sum(requests) AS requests, sum(failed) AS failed, sum(rate_limited) AS rateLimited, sum(cancelled) AS cancelled,
	sum(input) AS input, sum(cache_read) AS cacheRead, sum(cache_write) AS cacheWrite, sum(output) AS output,
	sum(reasoning) AS reasoning, sum(total) AS total, sum(cost) AS cost, sum(estimated) AS estimated`;

const v = VOCABULARY_SQL;
const RAW_SUMS = `count(*) AS requests, sum(r.failed) AS failed, sum(r.failed AND r.status_code = 429) AS rateLimited,
	sum(r.failed AND r.status_code IN (499, 504)) AS cancelled, sum(${v.input}) AS input, sum(${v.cacheRead}) AS cacheRead,
	sum(${v.cacheWrite}) AS cacheWrite, sum(${v.output}) AS output, sum(${v.reasoning}) AS reasoning, sum(${v.total}) AS total,
	coalesce(sum(r.cost_usd), 0) AS cost, sum(r.cost_estimated) AS estimated`;

const statements = new WeakMap<Db, ReturnType<typeof prepare>>();

function prepare(db: Db) {
	const level = (table: string) => db.prepare<[number, number], Row>(`SELECT series_id AS id, ${SUMS} FROM ${table} WHERE t >= ? AND t < ? GROUP BY series_id`);
	// One query for many intervals of a level: [[interval index, start, end], …] as JSON, read
	// into numbers once (not once per row joined).
	const many = (table: string) =>
		db.prepare<[string], Row & {i: number}>(`
			WITH q(i, a, b) AS MATERIALIZED (SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?))
			SELECT q.i AS i, u.series_id AS id, ${SUMS.replaceAll('sum(', 'sum(u.')}
			FROM q CROSS JOIN ${table} u ON u.t >= q.a AND u.t < q.b
			GROUP BY 1, 2`);
	const byLevel = <T>(make: (table: string) => T) => Object.fromEntries(LEVELS.map(l => [l, make(TABLE[l])])) as Record<RollupLevel, T>;
	return {
		level: byLevel(level),
		many: byLevel(many),
		// Cost per bucket, for a chart.
		cost: byLevel(table => db.prepare<[number, number], {t: number; cost: number}>(`SELECT t, sum(cost) AS cost FROM ${table} WHERE t >= ? AND t < ? GROUP BY t`)),
		raw: db.prepare<[Buffer, Buffer], Row>(`
			SELECT d.series_id AS id, ${RAW_SUMS} FROM requests r JOIN request_dims d ON d.id = r.dim_id
			WHERE r.dedupe_key >= ? AND r.dedupe_key < ? GROUP BY d.series_id`),
		deltas: db.prepare<[number, number], DeltaRow>(`
			SELECT series_id AS id, requests, total_tokens, cost_usd, interval_start, interval_end FROM counter_deltas
			WHERE interval_end > ? AND interval_start < ?`),
	};
}

function stmts(db: Db) {
	let s = statements.get(db);
	if (!s) statements.set(db, (s = prepare(db)));
	return s;
}

function collect(rows: Iterable<Row>, into = new Map<number, Sums>()): Map<number, Sums> {
	for (const {id, ...s} of rows) {
		const t = into.get(id);
		if (t) addSums(t, s);
		else into.set(id, s);
	}
	return into;
}

/**
 * The request rows of [start, end) (a few minutes at a range's edge), summed per series as the
 * writer sums them, plus the share of every legacy counter delta the edge overlaps: deltas are
 * spread evenly over their interval.
 */
function rawSums(db: Db, start: number, end: number): Map<number, Sums> {
	const s = stmts(db);
	const out = collect(s.raw.all(...keyRange(start, end)));
	for (const d of s.deltas.all(start, end)) {
		const span = d.interval_end - d.interval_start;
		const share = span <= 0 ? (d.interval_start >= start && d.interval_start < end ? 1 : 0) : (Math.min(end, d.interval_end) - Math.max(start, d.interval_start)) / span;
		if (share <= 0) continue;
		let t = out.get(d.id);
		if (!t) out.set(d.id, (t = zeroSums()));
		addSums(t, {...zeroSums(), requests: d.requests, input: d.total_tokens, total: d.total_tokens, cost: d.cost_usd ?? 0, estimated: d.requests}, share);
	}
	return out;
}

export function segmentSums(db: Db, seg: Segment): Map<number, Sums> {
	if (seg.level === 'raw') return rawSums(db, seg.start, seg.end);
	return collect(stmts(db).level[seg.level].all(seg.start, seg.end));
}

/** Usage per series over [start, end), exact: rollups for whole buckets, request rows for the minutes at the edges. */
export function rangeSums(db: Db, start: number, end: number): Map<number, Sums> {
	return mergeSums(segments(start, end, minutesFrom(db)).map(seg => segmentSums(db, seg)));
}

/** Per-series reads for one screenful: every segment is read once, however many ranges share it (they all end at `now`). */
export type SumsReader = (start: number, end: number) => SeriesSums;

export function memoSumsReader(db: Db): SumsReader {
	const fine = minutesFrom(db);
	const seen = new Map<string, SeriesSums>();
	const remember = (key: string, read: () => SeriesSums) => {
		let got = seen.get(key);
		if (!got) seen.set(key, (got = read()));
		return got;
	};
	return (start, end) =>
		remember(`${start}:${end}`, () => {
			const parts = segments(start, end, fine).map(seg => remember(`${seg.level}:${seg.start}:${seg.end}`, () => segmentSums(db, seg)));
			return parts.length === 1 ? parts[0]! : mergeSums(parts);
		});
}

/**
 * Usage per series for each of many intervals (a report's local days, a chart's hours): one
 * query per rollup level for all of them, request rows only for edges off the 5-minute grid.
 */
export function intervalSums(db: Db, intervals: ReadonlyArray<readonly [number, number]>): Array<Map<number, Sums>> {
	const out = intervals.map(() => new Map<number, Sums>());
	const byLevel: Record<RollupLevel, Array<[number, number, number]>> = {'1m': [], '5m': [], '1h': [], '1d': []};
	const fine = minutesFrom(db);
	intervals.forEach(([a, b], i) => {
		for (const seg of segments(a, b, fine)) {
			if (seg.level === 'raw') {
				for (const [id, s] of rawSums(db, seg.start, seg.end)) addTo(out[i]!, id, s);
			} else byLevel[seg.level].push([i, seg.start, seg.end]);
		}
	});
	const s = stmts(db);
	for (const level of LEVELS) {
		if (byLevel[level].length === 0) continue;
		for (const {i, id, ...sums} of s.many[level].all(JSON.stringify(byLevel[level]))) addTo(out[i]!, id, sums);
	}
	return out;
}

function addTo(map: Map<number, Sums>, id: number, s: Sums): void {
	const t = map.get(id);
	if (t) addSums(t, s);
	else map.set(id, {...s});
}

/**
 * Cost per interval only (a chart's hours): summed per bucket in SQL, one query per level for
 * the whole span, so a chart reads a few hundred small rows rather than every series of every
 * bucket. `tail` gives the sums of a range (the memo reader's), for the edges off the grid.
 */
export function intervalCosts(db: Db, intervals: ReadonlyArray<readonly [number, number]>, tail: SumsReader): number[] {
	const out = intervals.map(() => 0);
	if (intervals.length === 0) return out;
	const s = stmts(db);
	const fine = minutesFrom(db);
	const spans: Record<RollupLevel, Array<[number, number, number]>> = {'1m': [], '5m': [], '1h': [], '1d': []};
	intervals.forEach(([a, b], i) => {
		for (const seg of segments(a, b, fine)) {
			if (seg.level === 'raw') {
				for (const sums of tail(seg.start, seg.end).values()) out[i] = out[i]! + sums.cost;
			} else spans[seg.level].push([i, seg.start, seg.end]);
		}
	});
	for (const level of LEVELS) {
		const list = spans[level];
		if (list.length === 0) continue;
		const lo = Math.min(...list.map(x => x[1]));
		const hi = Math.max(...list.map(x => x[2]));
		for (const row of s.cost[level].all(lo, hi)) {
			for (const [i, a, b] of list) {
				if (row.t >= a && row.t < b) {
					out[i] = out[i]! + row.cost;
					break;
				}
			}
		}
	}
	return out;
}
