import type {TokenFamily} from '../pricing/token-family.js';
/** Where a record came from. */
export type RecordOrigin = 'queue' | 'resp' | 'legacy' | 'import';

/** CPA's token counters, as reported (see the reference's per-provider semantics). */
export type TokenCounts = {
	input: number;
	output: number;
	reasoning: number;
	cached: number;
	cacheRead: number;
	cacheCreation: number;
	total: number;
};

/** CPA v7.2.97+ canonical, non-overlapping split (`token_breakdown`). */
export type TokenBreakdown = {
	quality: string;
	inputUncached: number;
	inputCacheRead: number;
	inputCacheWrite: number;
	output: number;
	outputReasoning: number;
	unclassified: number;
};

/**
 * One request as stored. Secrets never appear here: the client key is already masked and
 * hashed, and a `source` that looks like a credential is masked.
 */
export type UsageRecord = {
	/** Canonical dedupe text (no secrets in it); hashed before it reaches the database. */
	key: string;
	timestampMs: number;
	origin: RecordOrigin;
	requestId: string | null;
	provider: string | null;
	executorType: string | null;
	model: string;
	alias: string | null;
	endpoint: string | null;
	authType: string | null;
	authIndex: string | null;
	source: string | null;
	clientKeyMasked: string | null;
	clientKeyHash: string | null;
	failed: boolean;
	statusCode: number | null;
	latencyMs: number | null;
	ttftMs: number | null;
	tokens: TokenCounts;
	breakdown: TokenBreakdown | null;
	reasoningEffort: string | null;
	serviceTier: string | null;
	/**
	 * The response's quota headers (v7.1.13+ records): their signals, or the raw JSON text of the
	 * `response_headers` member still to be read (core/quota/signals.ts `readQuotaHeaders`).
	 */
	quotaHeaders?: string | null;
	/** `fail.body` of a 429: Codex says there when its usage limit resets. */
	quotaFailBody?: string | null;
};

/** A record that could not be read; logged and skipped, never stored. */
export type RecordProblem = {index: number; field: string; problem: string};

export const ZERO_TOKENS: TokenCounts = Object.freeze({
	input: 0,
	output: 0,
	reasoning: 0,
	cached: 0,
	cacheRead: 0,
	cacheCreation: 0,
	total: 0,
});

/**
 * Why a cost is an estimate:
 * - `default-price`: no price source knows the model, priced at `_default`;
 * - `total-only`: the record has only a total (no input/output split), billed at the input price;
 * - `unclassified`: CPA's `token_breakdown` left part of the total unclassified, billed at the input price;
 * - `lower-bound`: a Claude row of CPA v6 or 7.0.0–7.0.2 whose `cached_tokens` may be cache writes, billed as reads;
 * - `counter-only`: a legacy counter delta, of which only the token total is known.
 */
export type EstimateReason = 'default-price' | 'total-only' | 'unclassified' | 'lower-bound' | 'counter-only';

/**
 * What pricing says about one request. `estimated`: the cost is not exact, for the reason in
 * `estimate` (also written at the end of `ref` after `!`, except `default-price`, whose ref is
 * the `_default` key). `estimate` is absent on prices read back from the database.
 */
export type PriceResult = {costUsd: number; estimated: boolean; ref: string; estimate?: EstimateReason | null};

/** Prices requests at collection time; `null` leaves cost unknown (stored as NULL). */
export type Pricer = {
	priceRecord(record: UsageRecord): PriceResult | null;
	/** Legacy counter deltas carry only a model and a token total. */
	priceTokenTotal(model: string, totalTokens: number): PriceResult | null;
	/** How the record's token fields are read, as priceRecord reads them (default: `defaultFamily`). */
	familyOf?(record: UsageRecord): TokenFamily;
};

export const NO_PRICER: Pricer = {priceRecord: () => null, priceTokenTotal: () => null};
