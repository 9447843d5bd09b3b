import {spreadOverInterval} from '../core/cpa/counter-delta.js';
import {addToBreakdown, parseBreakdown, type DailyIncrement} from '../core/report/daily-breakdown.js';
import type {PriceResult, UsageRecord} from '../core/cpa/usage-record.js';
import {DayLookup, HOUR_MS, type Zone} from '../core/time/zone.js';
import type {Db} from './database.js';

type Sums = {
	requests: number;
	failed: number;
	input: number;
	output: number;
	reasoning: number;
	cached: number;
	cacheRead: number;
	cacheCreation: number;
	/** Cache tokens of any kind, per request: read + creation where CPA splits them, else `cached`. */
	cacheAll: number;
	tokens: number;
	cost: number;
	estimated: number;
};

const zero = (): Sums => ({requests: 0, failed: 0, input: 0, output: 0, reasoning: 0, cached: 0, cacheRead: 0, cacheCreation: 0, cacheAll: 0, tokens: 0, cost: 0, estimated: 0});

type HourBucket = Sums & {hourStart: number; provider: string; model: string};
type AccountHour = {hourStart: number; authIndex: string; requests: number; failed: number; rateLimited: number; tokens: number; cost: number; estimated: number};
type AccountSeen = {provider: string | null; label: string | null; first: number; last: number};
type DayBucket = Sums & {date: string; incs: Map<string, Map<string, DailyIncrement>>};

/** Which rollup rows a flush may write: hours by their UTC start, days by local date. */
export type RollupFilter = {hour(hourStart: number): boolean; day(date: string): boolean};

/** What one committed batch added, per model: the payload of a `usage_delta` event. */
export type ModelDelta = {model: string; provider: string; requests: number; failed: number; tokens: number; costUsd: number; estimatedRequests: number};

/**
 * Collects the rollup increments of one transaction in memory, then writes each touched
 * hourly and daily row once. The daily `breakdown` JSON is read, merged and written back in
 * the same transaction as the rows it summarises.
 */
export class RollupBatch {
	private readonly hours: HourBucket[] = [];
	private readonly hourIndex = new Map<number, Map<string, Map<string, HourBucket>>>();
	private readonly days = new Map<string, DayBucket>();
	private readonly accountHours = new Map<number, Map<string, AccountHour>>();
	private readonly accounts = new Map<string, AccountSeen>();

	constructor(private readonly dayLookup: DayLookup) {}

	addRecord(r: UsageRecord, price: PriceResult | null): void {
		const t = r.tokens;
		const failed = r.failed ? 1 : 0;
		const cost = price?.costUsd ?? 0;
		const estimated = price?.estimated ? 1 : 0;
		const cacheAll = t.cacheRead + t.cacheCreation > 0 ? t.cacheRead + t.cacheCreation : t.cached;
		const h = this.hour(Math.floor(r.timestampMs / HOUR_MS) * HOUR_MS, r.provider ?? '', r.model);
		h.requests += 1;
		h.failed += failed;
		h.input += t.input;
		h.output += t.output;
		h.reasoning += t.reasoning;
		h.cached += t.cached;
		h.cacheRead += t.cacheRead;
		h.cacheCreation += t.cacheCreation;
		h.cacheAll += cacheAll;
		h.tokens += t.total;
		h.cost += cost;
		h.estimated += estimated;
		const d = this.day(this.dayLookup.dateOf(r.timestampMs));
		d.requests += 1;
		d.failed += failed;
		d.tokens += t.total;
		d.cost += cost;
		d.estimated += estimated;
		const inc = this.inc(d, r.model, r.clientKeyMasked ?? r.endpoint ?? r.provider ?? 'unknown');
		inc.requests += 1;
		inc.failed += failed;
		inc.input += t.input;
		inc.output += t.output;
		inc.reasoning += t.reasoning;
		inc.cached += cacheAll;
		inc.tokens += t.total;
		inc.cost += cost;
		if (r.authIndex) this.addAccount(r, h.hourStart, cost, estimated);
	}

	/** Per credential: the hour's requests (429s apart from other failures), and when it was used. */
	private addAccount(r: UsageRecord, hourStart: number, cost: number, estimated: number): void {
		const id = r.authIndex!;
		let byAccount = this.accountHours.get(hourStart);
		if (!byAccount) this.accountHours.set(hourStart, (byAccount = new Map()));
		let a = byAccount.get(id);
		if (!a) byAccount.set(id, (a = {hourStart, authIndex: id, requests: 0, failed: 0, rateLimited: 0, tokens: 0, cost: 0, estimated: 0}));
		a.requests += 1;
		if (r.statusCode === 429) a.rateLimited += 1;
		else if (r.failed) a.failed += 1;
		a.tokens += r.tokens.total;
		a.cost += cost;
		a.estimated += estimated;
		const seen = this.accounts.get(id);
		if (!seen) this.accounts.set(id, {provider: r.provider, label: r.source, first: r.timestampMs, last: r.timestampMs});
		else {
			if (r.timestampMs < seen.first) seen.first = r.timestampMs;
			if (r.timestampMs > seen.last) seen.last = r.timestampMs;
		}
	}

	/** Credentials whose requests this batch holds, with the span of their timestamps. */
	seenAccounts(): ReadonlyMap<string, AccountSeen> {
		return this.accounts;
	}

	/** A legacy counter delta, spread over its interval by hour and by local day. */
	addSpread(start: number, end: number, model: string, endpoint: string, requests: number, tokens: number, price: PriceResult | null): void {
		const cost = price?.costUsd ?? 0;
		const hourEdges = edges(start, end, t => Math.floor(t / HOUR_MS) * HOUR_MS, t => t + HOUR_MS);
		const hourReq = spreadOverInterval(requests, start, end, hourEdges);
		const hourTok = spreadOverInterval(tokens, start, end, hourEdges);
		for (let i = 0; i < hourReq.length; i++) {
			if (hourReq[i] === 0 && hourTok[i] === 0) continue;
			const share = requests === 0 ? 0 : hourReq[i]! / requests;
			const h = this.hour(hourEdges[i]!, '', model);
			accumulate(h, {...zero(), requests: hourReq[i]!, tokens: hourTok[i]!, cost: cost * share, estimated: hourReq[i]!});
		}
		const dayEdges = edges(start, end, t => this.dayLookup.spanOf(t).start, t => this.dayLookup.spanOf(t).end);
		const dayReq = spreadOverInterval(requests, start, end, dayEdges);
		const dayTok = spreadOverInterval(tokens, start, end, dayEdges);
		for (let i = 0; i < dayReq.length; i++) {
			if (dayReq[i] === 0 && dayTok[i] === 0) continue;
			const share = requests === 0 ? 0 : dayReq[i]! / requests;
			const s = {...zero(), requests: dayReq[i]!, tokens: dayTok[i]!, cost: cost * share, estimated: dayReq[i]!};
			this.addDay(this.dayLookup.dateOf(dayEdges[i]!), model, endpoint, s);
		}
	}

	/** Per provider and model, from the hour buckets (a counter delta spreads into several). */
	byModel(): ModelDelta[] {
		const models = new Map<string, ModelDelta>();
		for (const h of this.hours) {
			const k = `${h.provider}\u001F${h.model}`;
			let m = models.get(k);
			if (!m) models.set(k, (m = {model: h.model, provider: h.provider, requests: 0, failed: 0, tokens: 0, costUsd: 0, estimatedRequests: 0}));
			m.requests += h.requests;
			m.failed += h.failed;
			m.tokens += h.tokens;
			m.costUsd += h.cost;
			m.estimatedRequests += h.estimated;
		}
		return [...models.values()].sort((a, b) => b.costUsd - a.costUsd || b.requests - a.requests);
	}

	/** Everything this batch added. */
	total(): Sums {
		const t = zero();
		for (const h of this.hours) accumulate(t, h);
		return t;
	}

	touchedDates(): string[] {
		return [...this.days.keys()].sort();
	}

	/**
	 * Writes every touched rollup row; call inside the transaction that inserted the rows.
	 * `keep` limits the write to some hours and days (a rebuild of part of the history).
	 */
	flush(statements: RollupStatements, now: number, keep?: RollupFilter): void {
		for (const h of this.hours) {
			if (keep && !keep.hour(h.hourStart)) continue;
			statements.hourly.run(h.hourStart, h.provider, h.model, h.requests, h.failed, h.input, h.output, h.reasoning, h.cached, h.cacheRead, h.cacheCreation, h.tokens, h.cost, h.estimated);
		}
		for (const byAccount of this.accountHours.values()) {
			for (const a of byAccount.values()) {
				if (keep && !keep.hour(a.hourStart)) continue;
				statements.accountHourly.run(a.hourStart, a.authIndex, a.requests, a.failed, a.rateLimited, a.tokens, a.cost, a.estimated);
			}
		}
		for (const d of this.days.values()) {
			if (keep && !keep.day(d.date)) continue;
			const breakdown = parseBreakdown(statements.readDay.get(d.date)?.breakdown);
			for (const byEndpoint of d.incs.values()) for (const inc of byEndpoint.values()) addToBreakdown(breakdown, inc);
			statements.writeDay.run(d.date, d.requests, d.requests - d.failed, d.failed, d.tokens, Math.round(d.cost * 1e6) / 1e6, d.estimated, JSON.stringify(breakdown), now);
		}
	}

	private addDay(date: string, model: string, endpoint: string, s: Sums): void {
		const d = this.day(date);
		accumulate(d, s);
		const inc = this.inc(d, model, endpoint);
		inc.requests += s.requests;
		inc.failed += s.failed;
		inc.input += s.input;
		inc.output += s.output;
		inc.reasoning += s.reasoning;
		inc.cached += s.cacheAll;
		inc.tokens += s.tokens;
		inc.cost += s.cost;
	}

	private day(date: string): DayBucket {
		let d = this.days.get(date);
		if (!d) this.days.set(date, (d = {...zero(), date, incs: new Map()}));
		return d;
	}

	private inc(d: DayBucket, model: string, endpoint: string): DailyIncrement {
		let byEndpoint = d.incs.get(model);
		if (!byEndpoint) d.incs.set(model, (byEndpoint = new Map()));
		let inc = byEndpoint.get(endpoint);
		if (!inc) byEndpoint.set(endpoint, (inc = {model, endpoint, requests: 0, failed: 0, input: 0, output: 0, reasoning: 0, cached: 0, tokens: 0, cost: 0}));
		return inc;
	}

	/** Nested maps: no key string is built per record. */
	private hour(hourStart: number, provider: string, model: string): HourBucket {
		let byProvider = this.hourIndex.get(hourStart);
		if (!byProvider) this.hourIndex.set(hourStart, (byProvider = new Map()));
		let byModel = byProvider.get(provider);
		if (!byModel) byProvider.set(provider, (byModel = new Map()));
		let h = byModel.get(model);
		if (!h) {
			byModel.set(model, (h = {...zero(), hourStart, provider, model}));
			this.hours.push(h);
		}
		return h;
	}
}

function accumulate(into: Sums, s: Sums): void {
	into.requests += s.requests;
	into.failed += s.failed;
	into.input += s.input;
	into.output += s.output;
	into.reasoning += s.reasoning;
	into.cached += s.cached;
	into.cacheRead += s.cacheRead;
	into.cacheCreation += s.cacheCreation;
	into.cacheAll += s.cacheAll;
	into.tokens += s.tokens;
	into.cost += s.cost;
	into.estimated += s.estimated;
}

/** Bucket edges covering [start, end]: floor(start), then next(...) until past end. */
function edges(start: number, end: number, floor: (t: number) => number, next: (t: number) => number): number[] {
	const out = [floor(start)];
	while (out.at(-1)! <= end) out.push(next(out.at(-1)!));
	return out;
}

/** The rollup upserts, prepared once per database. */
export type RollupStatements = ReturnType<typeof prepareRollups>;

export function prepareRollups(db: Db) {
	return {
		hourly: db.prepare(`
			INSERT INTO hourly_stats (hour_start, provider, model, requests, failed, input_tokens, output_tokens, reasoning_tokens,
				cached_tokens, cache_read_tokens, cache_creation_tokens, total_tokens, cost_usd, estimated_requests)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (hour_start, provider, model) DO UPDATE SET
				requests = requests + excluded.requests, failed = failed + excluded.failed,
				input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens,
				reasoning_tokens = reasoning_tokens + excluded.reasoning_tokens, cached_tokens = cached_tokens + excluded.cached_tokens,
				cache_read_tokens = cache_read_tokens + excluded.cache_read_tokens,
				cache_creation_tokens = cache_creation_tokens + excluded.cache_creation_tokens,
				total_tokens = total_tokens + excluded.total_tokens, cost_usd = cost_usd + excluded.cost_usd,
				estimated_requests = estimated_requests + excluded.estimated_requests`),
		accountHourly: db.prepare(`
			INSERT INTO account_hourly_stats (hour_start, auth_index, requests, failed, rate_limited, total_tokens, cost_usd, estimated_requests)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (hour_start, auth_index) DO UPDATE SET
				requests = requests + excluded.requests, failed = failed + excluded.failed, rate_limited = rate_limited + excluded.rate_limited,
				total_tokens = total_tokens + excluded.total_tokens, cost_usd = cost_usd + excluded.cost_usd,
				estimated_requests = estimated_requests + excluded.estimated_requests`),
		readDay: db.prepare<[string], {breakdown: string}>('SELECT breakdown FROM daily_stats WHERE stat_date = ?'),
		writeDay: db.prepare(`
			INSERT INTO daily_stats (stat_date, total_requests, success_count, failure_count, total_tokens, estimated_cost_usd,
				estimated_requests, breakdown, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (stat_date) DO UPDATE SET
				total_requests = total_requests + excluded.total_requests, success_count = success_count + excluded.success_count,
				failure_count = failure_count + excluded.failure_count, total_tokens = total_tokens + excluded.total_tokens,
				estimated_cost_usd = round(estimated_cost_usd + excluded.estimated_cost_usd, 6),
				estimated_requests = estimated_requests + excluded.estimated_requests,
				breakdown = excluded.breakdown, updated_at = excluded.updated_at`),
	};
}
