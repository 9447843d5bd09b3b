import type {CounterResidual} from '../core/cpa/counter-delta.js';
import {accountKey} from '../core/cpa/account-key.js';
import {dedupeKey, instanceSeed} from '../core/cpa/dedupe-key.js';
import {NO_PRICER, type Pricer, type RecordProblem, type UsageRecord} from '../core/cpa/usage-record.js';
import {defaultFamily} from '../core/pricing/token-family.js';
import {vocabulary, vocabularyWeight} from '../core/report/vocabulary.js';
import {DayLookup, type Zone} from '../core/time/zone.js';
import {markSeen, storeHeaderFacts} from './accounts.js';
import type {Db} from './database.js';
import {counterSeries, DimCache, PriceRefCache} from './dims.js';
import {MinuteHorizon} from './minute-rollup.js';
import {forgetWrittenWindows, QuotaBatch} from './quota-windows.js';
import {prepareRollups, RollupBatch, type ModelDelta, type RollupStatements} from './rollups.js';
import {forgetSeriesLookup, SeriesCache} from './series.js';
import {TokenCeiling} from './token-ceiling.js';

export type IngestResult = {
	received: number;
	inserted: number;
	duplicates: number;
	requests: number;
	failed: number;
	tokens: number;
	costUsd: number;
	estimatedRequests: number;
	byModel: ModelDelta[];
	days: string[];
	newestTs: number | null;
	/** Credentials whose official quota windows (or plan, or cooldown) the batch changed. */
	quotaAccounts: string[];
	/** Records (by index in the batch) and counter deltas not stored because the token ceiling would be passed. */
	refused: RecordProblem[];
};

export type CounterInterval = {start: number; end: number};

/**
 * The only writer of `requests` and its rollups. Each call is one synchronous transaction:
 * the rows, the 5-minute, hourly and daily rollups and whatever the caller adds in `extra` commit
 * together or not at all.
 */
export class UsageWriter {
	private readonly insert;
	private readonly dayLookup: DayLookup;
	private readonly dims: DimCache;
	private readonly series: SeriesCache;
	private readonly priceRefs: PriceRefCache;
	private readonly seed: number;
	private readonly rollups: RollupStatements;
	private readonly insertDelta;
	private readonly ceiling: TokenCeiling;
	private readonly minutes: MinuteHorizon;
	private refused: RecordProblem[] = [];

	constructor(
		private readonly db: Db,
		zone: Zone,
		salt: string,
		private pricer: Pricer = NO_PRICER,
		/** The tag of the CPA whose records this writer stores ('' the first; store/instances.ts): in their series, dedupe keys and account keys. */
		readonly instance = '',
	) {
		this.dayLookup = new DayLookup(zone);
		this.seed = instanceSeed(salt, instance);
		this.rollups = prepareRollups(db);
		this.insertDelta = db.prepare(`
			INSERT INTO counter_deltas (interval_start, interval_end, api, model, requests, total_tokens, cost_usd, cost_estimated, collected_at, series_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`);
		this.ceiling = new TokenCeiling(db);
		this.minutes = new MinuteHorizon(db);
		this.series = new SeriesCache(db);
		this.dims = new DimCache(db, this.series, instance);
		this.priceRefs = new PriceRefCache(db);
		this.insert = db.prepare(`
			INSERT INTO requests (dedupe_key, ts, dim_id, request_id, failed, status_code, latency_ms, ttft_ms,
				input_tokens, output_tokens, reasoning_tokens, cached_tokens, cache_read_tokens, cache_creation_tokens, total_tokens,
				tb_input_uncached, tb_input_cache_read, tb_input_cache_write, tb_output, tb_output_reasoning, tb_unclassified,
				cost_usd, cost_estimated, price_id, collected_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (dedupe_key) DO NOTHING`);
	}

	setPricer(pricer: Pricer): void {
		this.pricer = pricer;
	}

	/** Inserts a batch; duplicates of stored requests are counted and ignored. */
	ingest(records: readonly UsageRecord[], now: number, extra?: (batch: RollupBatch) => void): IngestResult {
		let result: IngestResult | undefined;
		try {
			this.db
				.transaction(() => {
					this.ceiling.begin();
					this.refused = [];
					const batch = new RollupBatch(this.dayLookup);
					const quota = new QuotaBatch(this.instance === '' ? undefined : id => accountKey(this.instance, id));
					const inserted = this.insertAll(records, now, batch, quota);
					extra?.(batch);
					batch.flush(this.rollups, this.minutes.at(now));
					for (const [id, seen] of batch.seenAccounts()) markSeen(this.db, accountKey(this.instance, id), seen.provider, seen.label, seen.first, seen.last);
					const quotaAccounts = quota.empty ? [] : quota.flush(this.db, (id, plan, until) => storeHeaderFacts(this.db, id, plan, until, now));
					result = summarise(this.db, records.length - this.refused.length, inserted.count, inserted.newest, batch, this.refused, quotaAccounts);
				})
				.immediate();
			this.ceiling.commit();
		} catch (error) {
			// Ids handed out inside the rolled-back transaction no longer exist.
			this.dims.reset();
			this.series.reset();
			forgetSeriesLookup(this.db);
			this.priceRefs.reset();
			forgetWrittenWindows(this.db);
			throw error;
		}
		return result!;
	}

	/** Adds legacy counter deltas to a batch, as rows of their own, spread over their interval. */
	addCounterDeltas(batch: RollupBatch, residuals: readonly CounterResidual[], interval: CounterInterval, now: number): void {
		for (const r of residuals) {
			// Counted as input and as total (vocabulary.ts).
			if (!this.ceiling.admit(2 * r.tokens)) {
				this.refused.push({index: -1, field: `counter delta ${r.apiLabel} ${r.model} tokens`, problem: TokenCeiling.PROBLEM});
				continue;
			}
			const price = this.pricer.priceTokenTotal(r.model, r.tokens);
			const seriesId = this.series.idFor(counterSeries(r.apiLabel, r.model, this.instance));
			this.insertDelta.run(interval.start, interval.end, r.apiLabel, r.model, r.requests, r.tokens, price?.costUsd ?? null, now, seriesId);
			batch.addSpread(interval.start, interval.end, seriesId, r.requests, r.tokens, price);
		}
	}

	private insertAll(records: readonly UsageRecord[], now: number, batch: RollupBatch, quota: QuotaBatch): {count: number; newest: number | null} {
		let count = 0;
		let newest: number | null = null;
		for (let i = 0; i < records.length; i++) {
			const r = records[i]!;
			const dim = this.dims.entryFor(r, this.pricer.familyOf?.(r) ?? defaultFamily(r));
			const v = vocabulary(dim.family, r.tokens, r.breakdown);
			const weight = vocabularyWeight(v);
			if (!this.ceiling.admit(weight)) {
				this.refused.push({index: i, field: 'tokens', problem: TokenCeiling.PROBLEM});
				continue;
			}
			const price = this.pricer.priceRecord(r);
			const t = r.tokens;
			const b = r.breakdown;
			const info = this.insert.run(
				dedupeKey(r.key, this.seed, r.timestampMs),
				r.timestampMs,
				dim.id,
				r.requestId,
				r.failed ? 1 : 0,
				r.statusCode,
				r.latencyMs,
				r.ttftMs,
				t.input,
				t.output,
				t.reasoning,
				t.cached,
				t.cacheRead,
				t.cacheCreation,
				t.total,
				b?.inputUncached ?? null,
				b?.inputCacheRead ?? null,
				b?.inputCacheWrite ?? null,
				b?.output ?? null,
				b?.outputReasoning ?? null,
				b?.unclassified ?? null,
				price?.costUsd ?? null,
				price?.estimated ? 1 : 0,
				price ? this.priceRefs.idFor(price.ref) : null,
				now,
			);
			if (info.changes === 0) {
				this.ceiling.release(weight);
				continue;
			}
			count++;
			if (newest === null || r.timestampMs > newest) newest = r.timestampMs;
			batch.addRecord(r, dim.seriesId, v, price);
			if (r.authIndex && (r.quotaHeaders || r.quotaFailBody)) {
				quota.add(r.authIndex, {provider: r.provider, model: r.model, statusCode: r.statusCode, carried: r.quotaHeaders ?? null, failBody: r.quotaFailBody ?? null, at: r.timestampMs});
			}
		}
		return {count, newest};
	}
}

function summarise(db: Db, received: number, inserted: number, newestTs: number | null, batch: RollupBatch, refused: RecordProblem[], quotaAccounts: string[]): IngestResult {
	const t = batch.total();
	return {
		received,
		inserted,
		duplicates: received - inserted,
		requests: t.requests,
		failed: t.failed,
		tokens: t.total,
		costUsd: t.cost,
		estimatedRequests: t.estimated,
		byModel: batch.byModel(db),
		days: batch.touchedDates(),
		newestTs,
		refused,
		quotaAccounts,
	};
}
