import type {UsageRecord} from '../core/cpa/usage-record.js';
import {inferFamily, recordFamily} from '../core/pricing/token-family.js';
import {addSums, zeroSums, type Sums} from '../core/report/sums.js';
import {VOCABULARY_SQL} from '../core/report/vocabulary.js';
import {MINUTE_MS, MINUTE_ROLLUP_DAYS} from '../core/time/segments.js';
import {DAY_MS, DayLookup} from '../core/time/zone.js';
import type {Db} from './database.js';
import {counterSeries, requestSeries, signatureOf} from './dims.js';
import {prepareRollups, RollupBatch} from './rollups.js';
import {MINUTES_FROM_KEY} from './minute-rollup.js';
import {SeriesCache} from './series.js';
import {StateStore} from './state.js';

// A batch's day lookup only names the dates an ingest event reports; any zone will do here.
const UTC = new DayLookup({kind: 'fixed', offsetMinutes: 0});

const rollupTable = (name: string) => `
CREATE TABLE ${name} (
	t INTEGER NOT NULL,
	series_id INTEGER NOT NULL,
	requests INTEGER NOT NULL DEFAULT 0,
	failed INTEGER NOT NULL DEFAULT 0,
	rate_limited INTEGER NOT NULL DEFAULT 0,
	cancelled INTEGER NOT NULL DEFAULT 0,
	input INTEGER NOT NULL DEFAULT 0,
	cache_read INTEGER NOT NULL DEFAULT 0,
	cache_write INTEGER NOT NULL DEFAULT 0,
	output INTEGER NOT NULL DEFAULT 0,
	reasoning INTEGER NOT NULL DEFAULT 0,
	total INTEGER NOT NULL DEFAULT 0,
	cost REAL NOT NULL DEFAULT 0,
	estimated INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (t, series_id)
) WITHOUT ROWID;`;

export const ROLLUPS_SQL = `
-- What the rollups are kept per (core/report/series.ts). Rows are never changed or deleted.
CREATE TABLE series (
	id INTEGER PRIMARY KEY,
	instance TEXT NOT NULL,
	provider TEXT NOT NULL,
	model TEXT NOT NULL,
	api TEXT NOT NULL,
	auth_index TEXT NOT NULL,
	tier TEXT NOT NULL,
	UNIQUE (instance, provider, model, api, auth_index, tier)
);
-- family: how the request's token fields are read (core/pricing/token-family.ts).
ALTER TABLE request_dims ADD COLUMN family TEXT NOT NULL DEFAULT 'openai';
ALTER TABLE request_dims ADD COLUMN series_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE counter_deltas ADD COLUMN series_id INTEGER NOT NULL DEFAULT 0;

-- Requests summed per series and UTC bucket of 1 minute (the last 8 days only, see
-- store/minute-rollup.ts), 5 minutes, 1 hour and 1 day (t: the bucket's start, UTC ms),
-- written with the requests in one transaction. failed counts every failure,
-- of which rate_limited were 429s and cancelled 499s and 504s; the token columns are the one
-- vocabulary (core/report/vocabulary.ts). Every zone's midnight falls on a 5-minute edge, so
-- any local day, week or month is read from them exactly, whatever zone asks; raw rows are
-- read only for the minutes of a rolling window's edges.
${rollupTable('usage_1m')}
${rollupTable('usage_5m')}
${rollupTable('usage_1h')}
${rollupTable('usage_1d')}
`;

/**
 * Fills the new columns and the rollups from the stored history, then drops the tables they
 * replace. Requests and counter deltas are summed again (so the rollups hold the vocabulary,
 * the 429s and cancels, and the per-account split for all of the history the rows still
 * hold); hours whose rows `db prune` deleted keep what `hourly_stats` said of them, under
 * api 'unknown' and no account, the one thing the old rollups did not record.
 */
export function migrateRollups(db: Db): void {
	const series = new SeriesCache(db);
	type Row = {id: number; origin: string; provider: string | null; executor_type: string | null; model: string; alias: string | null; endpoint: string | null; auth_type: string | null; auth_index: string | null; source: string | null; client_key: string | null; client_key_hash: string | null; reasoning_effort: string | null; service_tier: string | null; tb_quality: string | null};
	const accounts = new Map((db.prepare("SELECT auth_index, provider FROM accounts WHERE provider IS NOT NULL AND provider <> ''").all() as Array<{auth_index: string; provider: string}>).map(a => [a.auth_index, a.provider]));
	const setDim = db.prepare('UPDATE request_dims SET family = ?, series_id = ?, signature = ? WHERE id = ?');
	for (const d of db.prepare<[], Row>('SELECT * FROM request_dims').all()) {
		// As pricing now reads a row that names no provider (CPA v6): its account's, its model name's, its API path's.
		const family = d.provider ? recordFamily(d.provider, d.executor_type, d.model) : inferFamily(d.auth_index === null ? null : (accounts.get(d.auth_index) ?? null), d.model, d.endpoint);
		const fields = {origin: d.origin as UsageRecord['origin'], provider: d.provider, executorType: d.executor_type, model: d.model, alias: d.alias, endpoint: d.endpoint, authType: d.auth_type, authIndex: d.auth_index, source: d.source, clientKeyMasked: d.client_key, clientKeyHash: d.client_key_hash, reasoningEffort: d.reasoning_effort, serviceTier: d.service_tier, quality: d.tb_quality};
		setDim.run(family, series.idFor(requestSeries(d.provider, d.model, d.client_key, d.endpoint, d.auth_index, d.service_tier)), signatureOf(fields, family), d.id);
	}
	const v = VOCABULARY_SQL;
	// The minutes of the newest history's last days, as the writer keeps them.
	const newest = (db.prepare('SELECT max(ts) AS t FROM requests').get() as {t: number | null}).t;
	const from = newest === null ? null : Math.floor((newest - MINUTE_ROLLUP_DAYS * DAY_MS) / MINUTE_MS) * MINUTE_MS;
	if (from !== null) {
		db.prepare(`
			INSERT INTO usage_1m (t, series_id, requests, failed, rate_limited, cancelled, input, cache_read, cache_write, output, reasoning, total, cost, estimated)
			SELECT r.ts - r.ts % 60000, d.series_id, count(*), sum(r.failed), sum(r.failed AND r.status_code = 429), sum(r.failed AND r.status_code IN (499, 504)),
				sum(${v.input}), sum(${v.cacheRead}), sum(${v.cacheWrite}), sum(${v.output}), sum(${v.reasoning}), sum(${v.total}),
				coalesce(sum(r.cost_usd), 0), sum(r.cost_estimated)
			FROM requests r JOIN request_dims d ON d.id = r.dim_id WHERE r.ts >= ? GROUP BY 1, 2`).run(from);
		new StateStore(db).set(MINUTES_FROM_KEY, String(from));
	}
	db.exec(`
		INSERT INTO usage_5m (t, series_id, requests, failed, rate_limited, cancelled, input, cache_read, cache_write, output, reasoning, total, cost, estimated)
		SELECT r.ts - r.ts % 300000, d.series_id, count(*), sum(r.failed), sum(r.failed AND r.status_code = 429), sum(r.failed AND r.status_code IN (499, 504)),
			sum(${v.input}), sum(${v.cacheRead}), sum(${v.cacheWrite}), sum(${v.output}), sum(${v.reasoning}), sum(${v.total}),
			coalesce(sum(r.cost_usd), 0), sum(r.cost_estimated)
		FROM requests r JOIN request_dims d ON d.id = r.dim_id GROUP BY 1, 2;
		INSERT INTO usage_1h SELECT t - t % 3600000, series_id, sum(requests), sum(failed), sum(rate_limited), sum(cancelled), sum(input), sum(cache_read),
			sum(cache_write), sum(output), sum(reasoning), sum(total), sum(cost), sum(estimated) FROM usage_5m GROUP BY 1, 2;
		INSERT INTO usage_1d SELECT t - t % 86400000, series_id, sum(requests), sum(failed), sum(rate_limited), sum(cancelled), sum(input), sum(cache_read),
			sum(cache_write), sum(output), sum(reasoning), sum(total), sum(cost), sum(estimated) FROM usage_1h GROUP BY 1, 2;`);

	const batch = new RollupBatch(UTC);
	const deltas = db.prepare<[], {id: number; interval_start: number; interval_end: number; api: string; model: string; requests: number; total_tokens: number; cost_usd: number | null}>(
		'SELECT id, interval_start, interval_end, api, model, requests, total_tokens, cost_usd FROM counter_deltas',
	);
	const setDelta = db.prepare('UPDATE counter_deltas SET series_id = ? WHERE id = ?');
	for (const d of deltas.all()) {
		const id = series.idFor(counterSeries(d.api, d.model));
		setDelta.run(id, d.id);
		batch.addSpread(d.interval_start, d.interval_end, id, d.requests, d.total_tokens, d.cost_usd === null ? null : {costUsd: d.cost_usd, estimated: true, ref: ''});
	}
	batch.flush(prepareRollups(db), from ?? Infinity);

	// Minutes are trusted from `from` on: not before an hour only the old rollup remembers.
	const prunedUntil = addPrunedHours(db, series);
	if (from !== null && prunedUntil > from) {
		db.prepare('DELETE FROM usage_1m WHERE t < ?').run(prunedUntil);
		new StateStore(db).set(MINUTES_FROM_KEY, String(prunedUntil));
	}
	db.exec(`
		DROP TABLE daily_model_stats;
		DROP TABLE hourly_stats;
		DROP TABLE account_daily_stats;
		DROP TABLE account_hourly_stats;
		DROP TABLE daily_stats;`);
}

type HourRow = {hour_start: number; provider: string; model: string; requests: number; failed: number; input_tokens: number; output_tokens: number; reasoning_tokens: number; cached_tokens: number; cache_read_tokens: number; cache_creation_tokens: number; total_tokens: number; cost_usd: number; estimated_requests: number};

/** What hourly_stats holds beyond what the remaining rows and deltas gave: pruned requests. Returns the end of the last such hour. */
function addPrunedHours(db: Db, series: SeriesCache): number {
	const rebuilt = db.prepare<[number, string, string], {requests: number | null; total: number | null; cost: number | null; estimated: number | null; failed: number | null}>(`
		SELECT sum(u.requests) AS requests, sum(u.total) AS total, sum(u.cost) AS cost, sum(u.estimated) AS estimated, sum(u.failed) AS failed
		FROM usage_1h u JOIN series s ON s.id = u.series_id WHERE u.t = ? AND s.provider = ? AND s.model = ?`);
	const batch = new RollupBatch(UTC);
	let until = -Infinity;
	for (const h of db.prepare<[], HourRow>('SELECT * FROM hourly_stats').iterate()) {
		const r = rebuilt.get(h.hour_start, h.provider, h.model)!;
		const requests = h.requests - (r.requests ?? 0);
		const total = h.total_tokens - (r.total ?? 0);
		if (requests <= 0 && total <= 0) continue;
		// Whole counters only: the share of the hour the rows no longer hold, in the vocabulary.
		const share = h.requests > 0 ? requests / h.requests : total / h.total_tokens;
		const family = recordFamily(h.provider || null, null, h.model);
		const split = h.cache_read_tokens + h.cache_creation_tokens > 0;
		const cacheRead = split ? h.cache_read_tokens : h.cached_tokens;
		const cacheWrite = split ? h.cache_creation_tokens : 0;
		const s: Sums = zeroSums();
		addSums(s, {
			requests: h.requests,
			failed: h.failed,
			rateLimited: 0,
			cancelled: 0,
			input: family === 'claude' ? h.input_tokens : Math.max(0, h.input_tokens - cacheRead - cacheWrite),
			cacheRead,
			cacheWrite,
			output: family === 'gemini' ? h.output_tokens + h.reasoning_tokens : h.output_tokens,
			reasoning: h.reasoning_tokens,
			total: h.total_tokens,
			cost: h.cost_usd,
			estimated: h.estimated_requests,
		}, share);
		for (const k of Object.keys(s) as Array<keyof Sums>) if (k !== 'cost') s[k] = Math.round(s[k]);
		batch.addSums(h.hour_start, series.idFor({instance: '', provider: h.provider, model: h.model, api: 'unknown', authIndex: '', tier: ''}), s);
		until = Math.max(until, h.hour_start + 3_600_000);
	}
	if (until > -Infinity) batch.flush(prepareRollups(db), Infinity);
	return until;
}
