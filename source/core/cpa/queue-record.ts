import {isSignals, signalsFromHeaders} from '../quota/signals.js';
import {checkStatusCode, checkTimestamp, RECORD_BOUNDS} from './bounds.js';
import {importKey} from './dedupe-key.js';
import {FieldError, isObject, optBool, optCount, optDuration, optInt, optObject, optString, reqTimestampString, type Json} from './fields.js';
import {clientKeyIdentity, sourceIdentity} from './secrets.js';
import {parseTimestamp} from '../time/timestamp.js';
import type {RecordOrigin, RecordProblem, TokenBreakdown, TokenCounts, UsageRecord} from './usage-record.js';

/**
 * Reads one CPA usage-queue record (v6.10.8 minimal set through v7.2.140: `fail`,
 * `cache_creation_tokens`, `ttft_ms`, `token_breakdown`). The same shape arrives over HTTP
 * (`/usage-queue`) and RESP (`SUBSCRIBE usage`, `LPOP usage`). Counts, durations, the status
 * and the time must be plausible (RECORD_BOUNDS, against `now`).
 */
export function readQueueRecord(value: unknown, salt: string, now: number, origin: RecordOrigin = 'queue', headers: readonly string[] = []): UsageRecord {
	if (!isObject(value)) throw new FieldError('record', 'expected a JSON object');
	const rawTimestamp = reqTimestampString(value, 'timestamp', '');
	const ts = parseTimestamp(rawTimestamp);
	if (!ts) throw new FieldError('timestamp', `not an RFC 3339 timestamp: ${JSON.stringify(rawTimestamp.slice(0, 40))}`);
	checkTimestamp(ts.ms, now, rawTimestamp);

	const model = optString(value, 'model', '') ?? 'unknown';
	const endpoint = optString(value, 'endpoint', '');
	const apiKey = optString(value, 'api_key', '');
	const provider = optString(value, 'provider', '');
	const rawSource = optString(value, 'source', '');
	const authIndex = optString(value, 'auth_index', '');
	const requestId = optString(value, 'request_id', '');
	const failed = optBool(value, 'failed', '');
	const tokens = readTokens(optObject(value, 'tokens', ''), 'tokens.');
	const fail = optObject(value, 'fail', '');
	const statusCode = fail ? checkStatusCode(optInt(fail, 'status_code', 'fail.'), 'fail.status_code') : null;
	const quotaHeaders = carriedHeaders(value['response_headers'], headers);
	const failBody = statusCode === 429 && fail && typeof fail['body'] === 'string' && fail['body'].length <= 16_384 ? fail['body'] : null;

	// CPA's statsKey: the client key, else the endpoint, else the provider.
	const client = apiKey ? clientKeyIdentity(apiKey, salt) : null;
	const src = sourceIdentity(rawSource, salt);
	const api = client ? client.hash : (endpoint ?? provider ?? 'unknown');
	return {
		key: importKey(api, model, ts.canonical, src.keyed, authIndex, failed, tokens, requestId),
		timestampMs: ts.ms,
		origin,
		requestId,
		provider,
		executorType: optString(value, 'executor_type', ''),
		model,
		alias: optString(value, 'alias', ''),
		endpoint,
		authType: optString(value, 'auth_type', ''),
		authIndex,
		source: src.shown,
		clientKeyMasked: client?.masked ?? null,
		clientKeyHash: client?.hash ?? null,
		failed,
		statusCode: statusCode === 0 ? null : statusCode,
		latencyMs: optDuration(value, 'latency_ms', '', RECORD_BOUNDS.maxDurationMs),
		ttftMs: optDuration(value, 'ttft_ms', '', RECORD_BOUNDS.maxDurationMs),
		tokens,
		breakdown: readBreakdown(optObject(value, 'token_breakdown', '')),
		reasoningEffort: optString(value, 'reasoning_effort', ''),
		serviceTier: optString(value, 'response_service_tier', '') ?? optString(value, 'service_tier', ''),
		quotaHeaders,
		quotaFailBody: failBody,
	};
}

/**
 * `response_headers`: an index into the member texts the payload parser kept (read later, and
 * only for the newest record per account and model of a batch), or a header map parsed as JSON,
 * cut to the allowed quota headers here.
 */
function carriedHeaders(value: unknown, headers: readonly string[]): string | null {
	if (typeof value === 'number') return headers[value] ?? null;
	if (typeof value === 'string') return isSignals(value) ? value : null;
	return signalsFromHeaders(value);
}

const tokens = (obj: Json, key: string, path: string) => optCount(obj, key, path, RECORD_BOUNDS.maxTokens);

/** One request's token counters, each at most RECORD_BOUNDS.maxTokens. */
export function readTokens(obj: Json | null, path: string): TokenCounts {
	if (!obj) return {input: 0, output: 0, reasoning: 0, cached: 0, cacheRead: 0, cacheCreation: 0, total: 0};
	return {
		input: tokens(obj, 'input_tokens', path),
		output: tokens(obj, 'output_tokens', path),
		reasoning: tokens(obj, 'reasoning_tokens', path),
		cached: tokens(obj, 'cached_tokens', path),
		cacheRead: tokens(obj, 'cache_read_tokens', path),
		cacheCreation: tokens(obj, 'cache_creation_tokens', path),
		total: tokens(obj, 'total_tokens', path),
	};
}

function readBreakdown(obj: Json | null): TokenBreakdown | null {
	if (!obj) return null;
	const path = 'token_breakdown.';
	const input = optObject(obj, 'input', path) ?? {};
	const output = optObject(obj, 'output', path) ?? {};
	const breakdown: TokenBreakdown = {
		quality: optString(obj, 'quality', path) ?? 'unclassified',
		inputUncached: tokens(input, 'uncached_tokens', `${path}input.`),
		inputCacheRead: tokens(input, 'cache_read_tokens', `${path}input.`),
		inputCacheWrite: tokens(input, 'cache_write_tokens', `${path}input.`),
		output: tokens(output, 'total_tokens', `${path}output.`),
		outputReasoning: tokens(output, 'reasoning_tokens', `${path}output.`),
		unclassified: tokens(obj, 'unclassified_tokens', path),
	};
	// A zero-valued struct is what Go emits when the accounting is absent.
	const empty =
		breakdown.inputUncached + breakdown.inputCacheRead + breakdown.inputCacheWrite + breakdown.output + breakdown.unclassified === 0 &&
		tokens(obj, 'total_tokens', path) === 0;
	return empty ? null : breakdown;
}

export type QueueBatch = {records: UsageRecord[]; problems: RecordProblem[]};

/** A queue answer is always a JSON array; anything else is a malformed payload. */
export function readQueueBatch(payload: unknown, salt: string, now: number, origin: RecordOrigin = 'queue', headers: readonly string[] = []): QueueBatch {
	if (!Array.isArray(payload)) throw new FieldError('payload', 'expected a JSON array of usage records');
	const records: UsageRecord[] = [];
	const problems: RecordProblem[] = [];
	for (let i = 0; i < payload.length; i++) {
		try {
			records.push(readQueueRecord(payload[i], salt, now, origin, headers));
		} catch (error) {
			if (!(error instanceof FieldError)) throw error;
			problems.push({index: i, field: error.field, problem: error.problem});
		}
	}
	return {records, problems};
}
