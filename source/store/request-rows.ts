import type {PriceResult, RecordOrigin, UsageRecord} from '../core/cpa/usage-record.js';
import type {Db} from './database.js';
import {keyRange} from './time-range.js';

/** A stored request with what pricing and the rollups need. */
export type RequestRow = {
	dedupe_key: Buffer;
	ts: number;
	failed: number;
	status_code: number | null;
	input_tokens: number;
	output_tokens: number;
	reasoning_tokens: number;
	cached_tokens: number;
	cache_read_tokens: number;
	cache_creation_tokens: number;
	total_tokens: number;
	tb_input_uncached: number | null;
	tb_input_cache_read: number | null;
	tb_input_cache_write: number | null;
	tb_output: number | null;
	tb_output_reasoning: number | null;
	tb_unclassified: number | null;
	cost_usd: number | null;
	cost_estimated: number;
	price_id: number | null;
	origin: string;
	provider: string | null;
	executor_type: string | null;
	model: string;
	alias: string | null;
	endpoint: string | null;
	client_key: string | null;
	auth_index: string | null;
	service_tier: string | null;
	tb_quality: string | null;
	series_id: number;
};

const COLUMNS = `r.dedupe_key, r.ts, r.failed, r.status_code, r.input_tokens, r.output_tokens, r.reasoning_tokens, r.cached_tokens, r.cache_read_tokens,
	r.cache_creation_tokens, r.total_tokens, r.tb_input_uncached, r.tb_input_cache_read, r.tb_input_cache_write, r.tb_output,
	r.tb_output_reasoning, r.tb_unclassified, r.cost_usd, r.cost_estimated, r.price_id, d.origin, d.provider, d.executor_type, d.model, d.alias,
	d.endpoint, d.client_key, d.auth_index, d.service_tier, d.tb_quality, d.series_id`;

/**
 * The requests of [start, end) in key order, a page at a time: each page is read completely
 * before it is handed out, so the caller may write to the database between pages (an open
 * better-sqlite3 iterator would forbid that).
 */
export function* requestPages(db: Db, start: number, end: number, pageSize = 5000): Generator<RequestRow[]> {
	const [lo, hi] = keyRange(start, end);
	const first = db.prepare<[Buffer, Buffer, number], RequestRow>(
		`SELECT ${COLUMNS} FROM requests r JOIN request_dims d ON d.id = r.dim_id WHERE r.dedupe_key >= ? AND r.dedupe_key < ? ORDER BY r.dedupe_key LIMIT ?`,
	);
	const next = db.prepare<[Buffer, Buffer, number], RequestRow>(
		`SELECT ${COLUMNS} FROM requests r JOIN request_dims d ON d.id = r.dim_id WHERE r.dedupe_key > ? AND r.dedupe_key < ? ORDER BY r.dedupe_key LIMIT ?`,
	);
	let page = first.all(lo, hi, pageSize);
	while (page.length > 0) {
		yield page;
		if (page.length < pageSize) return;
		page = next.all(page.at(-1)!.dedupe_key, hi, pageSize);
	}
}

/** The record a row was stored from, as far as pricing and rollups are concerned. */
export function recordFromRow(row: RequestRow): UsageRecord {
	return {
		key: '',
		timestampMs: row.ts,
		origin: row.origin as RecordOrigin,
		requestId: null,
		provider: row.provider,
		executorType: row.executor_type,
		model: row.model,
		alias: row.alias,
		endpoint: row.endpoint,
		authType: null,
		authIndex: row.auth_index,
		source: null,
		clientKeyMasked: row.client_key,
		clientKeyHash: null,
		failed: row.failed === 1,
		statusCode: row.status_code,
		latencyMs: null,
		ttftMs: null,
		tokens: {
			input: row.input_tokens,
			output: row.output_tokens,
			reasoning: row.reasoning_tokens,
			cached: row.cached_tokens,
			cacheRead: row.cache_read_tokens,
			cacheCreation: row.cache_creation_tokens,
			total: row.total_tokens,
		},
		breakdown:
			row.tb_input_uncached === null
				? null
				: {
						quality: row.tb_quality ?? 'unclassified',
						inputUncached: row.tb_input_uncached,
						inputCacheRead: row.tb_input_cache_read ?? 0,
						inputCacheWrite: row.tb_input_cache_write ?? 0,
						output: row.tb_output ?? 0,
						outputReasoning: row.tb_output_reasoning ?? 0,
						unclassified: row.tb_unclassified ?? 0,
					},
		reasoningEffort: null,
		serviceTier: row.service_tier,
	};
}

/** The price stored with a row, in the shape the rollups take. */
export function storedPrice(row: RequestRow): PriceResult | null {
	return row.cost_usd === null ? null : {costUsd: row.cost_usd, estimated: row.cost_estimated === 1, ref: ''};
}
