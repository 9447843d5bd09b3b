import {spreadOverInterval} from '../core/cpa/counter-delta.js';
import type {PriceResult, UsageRecord} from '../core/cpa/usage-record.js';
import {addSums, zeroSums, type Sums} from '../core/report/sums.js';
import type {Vocabulary} from '../core/report/vocabulary.js';
import {FIVE_MINUTES_MS, MINUTE_MS} from '../core/time/segments.js';
import {DAY_MS, DayLookup, HOUR_MS} from '../core/time/zone.js';
import type {Db} from './database.js';
import {seriesLookup} from './series.js';

/** What one committed batch added, per model: the payload of a `usage_delta` event. */
export type ModelDelta = {model: string; provider: string; requests: number; failed: number; tokens: number; costUsd: number; estimatedRequests: number};

type AccountSeen = {provider: string | null; label: string | null; first: number; last: number};

/**
 * Collects the rollup increments of one transaction in memory, by minute and series, then
 * writes each touched 1-minute (recent ones only), 5-minute, hourly and daily row once: the
 * coarser levels are sums of the finer, so they are derived at flush.
 */
export class RollupBatch {
	private readonly buckets = new Map<number, Map<number, Sums>>();
	private readonly accounts = new Map<string, AccountSeen>();

	constructor(private readonly dayLookup: DayLookup) {}

	/** A stored request, its tokens already in the vocabulary. */
	addRecord(r: UsageRecord, seriesId: number, v: Vocabulary, price: PriceResult | null): void {
		const s = this.sums(Math.floor(r.timestampMs / MINUTE_MS) * MINUTE_MS, seriesId);
		s.requests += 1;
		if (r.failed) {
			s.failed += 1;
			if (r.statusCode === 429) s.rateLimited += 1;
			else if (r.statusCode === 499 || r.statusCode === 504) s.cancelled += 1;
		}
		s.input += v.input;
		s.cacheRead += v.cacheRead;
		s.cacheWrite += v.cacheWrite;
		s.output += v.output;
		s.reasoning += v.reasoning;
		s.total += v.total;
		if (price) {
			s.cost += price.costUsd;
			if (price.estimated) s.estimated += 1;
		}
		if (r.authIndex) this.seen(r);
	}

	/** A legacy counter delta (requests and a token total only), spread over its interval by minute. */
	addSpread(start: number, end: number, seriesId: number, requests: number, tokens: number, price: PriceResult | null): void {
		const cost = price?.costUsd ?? 0;
		for (const part of spread(start, end, requests, tokens)) {
			const s = this.sums(part.bucket, seriesId);
			s.requests += part.requests;
			// Counter deltas know only a total: it is billed, and so counted, as input.
			s.input += part.tokens;
			s.total += part.tokens;
			s.cost += cost * part.share;
			s.estimated += part.requests;
		}
	}

	/** A re-priced counter delta: its cost change, spread as its cost was. */
	addSpreadCost(start: number, end: number, seriesId: number, requests: number, tokens: number, costChange: number): void {
		for (const part of spread(start, end, requests, tokens)) this.sums(part.bucket, seriesId).cost += costChange * part.share;
	}

	/** Sums known only per bucket (history from before these rollups). */
	addSums(bucketStart: number, seriesId: number, sums: Sums): void {
		addSums(this.sums(Math.floor(bucketStart / MINUTE_MS) * MINUTE_MS, seriesId), sums);
	}

	/** A re-priced request: what its cost and estimate flag changed by. */
	addCostChange(timestampMs: number, seriesId: number, costUsd: number, estimated: number): void {
		const s = this.sums(Math.floor(timestampMs / MINUTE_MS) * MINUTE_MS, seriesId);
		s.cost += costUsd;
		s.estimated += estimated;
	}

	/** Credentials whose requests this batch holds, with the span of their timestamps. */
	seenAccounts(): ReadonlyMap<string, AccountSeen> {
		return this.accounts;
	}

	/** Everything this batch added. */
	total(): Sums {
		const t = zeroSums();
		for (const bySeries of this.buckets.values()) for (const s of bySeries.values()) addSums(t, s);
		return t;
	}

	/** Per provider and model (a counter delta spreads over several buckets). */
	byModel(db: Db): ModelDelta[] {
		const lookup = seriesLookup(db);
		const models = new Map<string, ModelDelta>();
		for (const bySeries of this.buckets.values()) {
			for (const [id, s] of bySeries) {
				const series = lookup(id);
				const provider = series?.provider ?? '';
				const model = series?.model ?? 'unknown';
				const k = `${provider}\u001F${model}`;
				let m = models.get(k);
				if (!m) models.set(k, (m = {model, provider, requests: 0, failed: 0, tokens: 0, costUsd: 0, estimatedRequests: 0}));
				m.requests += s.requests;
				m.failed += s.failed;
				m.tokens += s.total;
				m.costUsd += s.cost;
				m.estimatedRequests += s.estimated;
			}
		}
		return [...models.values()].sort((a, b) => b.costUsd - a.costUsd || b.requests - a.requests);
	}

	/** Local dates (in the writer's zone) whose usage this batch changed. */
	touchedDates(): string[] {
		const dates = new Set<string>();
		for (const t of this.buckets.keys()) dates.add(this.dayLookup.dateOf(t));
		return [...dates].sort();
	}

	/**
	 * Writes every touched row; call inside the transaction that inserted the rows. Minutes before
	 * `minutesFrom` are not kept (the 1-minute rollup holds the last MINUTE_ROLLUP_DAYS only).
	 */
	flush(statements: RollupStatements, minutesFrom: number): void {
		const fives = new Map<number, Map<number, Sums>>();
		const hours = new Map<number, Map<number, Sums>>();
		const days = new Map<number, Map<number, Sums>>();
		for (const [t, bySeries] of this.buckets) {
			const five = Math.floor(t / FIVE_MINUTES_MS) * FIVE_MINUTES_MS;
			const hour = Math.floor(t / HOUR_MS) * HOUR_MS;
			const day = Math.floor(t / DAY_MS) * DAY_MS;
			for (const [id, s] of bySeries) {
				if (t >= minutesFrom) write(statements.minutes, t, id, s);
				addInto(fives, five, id, s);
				addInto(hours, hour, id, s);
				addInto(days, day, id, s);
			}
		}
		for (const [t, bySeries] of fives) for (const [id, s] of bySeries) write(statements.fiveMinutes, t, id, s);
		for (const [t, bySeries] of hours) for (const [id, s] of bySeries) write(statements.hours, t, id, s);
		for (const [t, bySeries] of days) for (const [id, s] of bySeries) write(statements.days, t, id, s);
	}

	private sums(bucket: number, seriesId: number): Sums {
		let bySeries = this.buckets.get(bucket);
		if (!bySeries) this.buckets.set(bucket, (bySeries = new Map()));
		let s = bySeries.get(seriesId);
		if (!s) bySeries.set(seriesId, (s = zeroSums()));
		return s;
	}

	private seen(r: UsageRecord): void {
		const id = r.authIndex!;
		const seen = this.accounts.get(id);
		if (!seen) this.accounts.set(id, {provider: r.provider, label: r.source, first: r.timestampMs, last: r.timestampMs});
		else {
			if (r.timestampMs < seen.first) seen.first = r.timestampMs;
			if (r.timestampMs > seen.last) seen.last = r.timestampMs;
		}
	}
}

/**
 * A counter delta's requests and tokens per minute, in whole numbers, and each
 * bucket's `share` of its interval (for its cost, which need not be whole).
 */
function spread(start: number, end: number, requests: number, tokens: number): Array<{bucket: number; requests: number; tokens: number; share: number}> {
	const edges: number[] = [Math.floor(start / MINUTE_MS) * MINUTE_MS];
	while (edges.at(-1)! <= end) edges.push(edges.at(-1)! + MINUTE_MS);
	const req = spreadOverInterval(requests, start, end, edges);
	const tok = spreadOverInterval(tokens, start, end, edges);
	const span = end - start;
	const out = [];
	for (let i = 0; i < req.length; i++) {
		const share = span <= 0 ? (start >= edges[i]! && start < edges[i + 1]! ? 1 : 0) : Math.max(0, Math.min(end, edges[i + 1]!) - Math.max(start, edges[i]!)) / span;
		if (req[i] === 0 && tok[i] === 0 && share === 0) continue;
		out.push({bucket: edges[i]!, requests: req[i]!, tokens: tok[i]!, share});
	}
	return out;
}

function addInto(map: Map<number, Map<number, Sums>>, t: number, id: number, s: Sums): void {
	let bySeries = map.get(t);
	if (!bySeries) map.set(t, (bySeries = new Map()));
	let into = bySeries.get(id);
	if (!into) bySeries.set(id, (into = zeroSums()));
	addSums(into, s);
}

type Upsert = RollupStatements['fiveMinutes'];

function write(stmt: Upsert, t: number, id: number, s: Sums): void {
	stmt.run(t, id, s.requests, s.failed, s.rateLimited, s.cancelled, s.input, s.cacheRead, s.cacheWrite, s.output, s.reasoning, s.total, s.cost, s.estimated);
}

export const SUM_COLUMNS = 'requests, failed, rate_limited, cancelled, input, cache_read, cache_write, output, reasoning, total, cost, estimated';

/** The rollup upserts, prepared once per database. */
export type RollupStatements = ReturnType<typeof prepareRollups>;

export function prepareRollups(db: Db) {
	const upsert = (table: string) =>
		db.prepare<[number, number, number, number, number, number, number, number, number, number, number, number, number, number]>(`
			INSERT INTO ${table} (t, series_id, ${SUM_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (t, series_id) DO UPDATE SET
				requests = requests + excluded.requests, failed = failed + excluded.failed, rate_limited = rate_limited + excluded.rate_limited,
				cancelled = cancelled + excluded.cancelled, input = input + excluded.input, cache_read = cache_read + excluded.cache_read,
				cache_write = cache_write + excluded.cache_write, output = output + excluded.output, reasoning = reasoning + excluded.reasoning,
				total = total + excluded.total, cost = cost + excluded.cost, estimated = estimated + excluded.estimated`);
	return {minutes: upsert('usage_1m'), fiveMinutes: upsert('usage_5m'), hours: upsert('usage_1h'), days: upsert('usage_1d')};
}
