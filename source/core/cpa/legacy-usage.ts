import {checkTimestamp, RECORD_BOUNDS} from './bounds.js';
import {importKey, keyDigest} from './dedupe-key.js';
import {FieldError, isObject, optBool, optCount, optDuration, optObject, optString, reqTimestampString, type Json} from './fields.js';
import {readTokens} from './queue-record.js';
import {clientKeyIdentity, isEndpointLabel, maskSecret, sourceIdentity} from './secrets.js';
import {parseTimestamp} from '../time/timestamp.js';
import type {RecordOrigin, RecordProblem, UsageRecord} from './usage-record.js';

/** CPA v6 `GET /usage` (and the v6 export's `usage`), containers validated, details left raw. */
export type LegacyPayload = {
	totals: {totalRequests: number; successCount: number; failureCount: number; totalTokens: number};
	apis: LegacyApi[];
};
export type LegacyApi = {api: string; models: LegacyModel[]};
export type LegacyModel = {model: string; totalRequests: number; totalTokens: number; details: unknown[] | null};

/** Checks the containers only; a bad container rejects the whole payload, so nothing is written. */
export function readLegacyUsage(usage: unknown, path = 'usage.'): LegacyPayload {
	if (!isObject(usage)) throw new FieldError(path.slice(0, -1), 'expected an object');
	const totals = {
		totalRequests: optCount(usage, 'total_requests', path),
		successCount: optCount(usage, 'success_count', path),
		failureCount: optCount(usage, 'failure_count', path),
		totalTokens: optCount(usage, 'total_tokens', path),
	};
	const apis: LegacyApi[] = [];
	const apisObj = optObject(usage, 'apis', path) ?? {};
	for (const [api, apiValue] of Object.entries(apisObj)) {
		const apiPath = `${path}apis[${labelForPath(api)}].`;
		if (!isObject(apiValue)) throw new FieldError(apiPath.slice(0, -1), 'expected an object');
		const models: LegacyModel[] = [];
		for (const [model, modelValue] of Object.entries(optObject(apiValue, 'models', apiPath) ?? {})) {
			const modelPath = `${apiPath}models[${model}].`;
			if (!isObject(modelValue)) throw new FieldError(modelPath.slice(0, -1), 'expected an object');
			const details = modelValue['details'];
			if (details !== undefined && details !== null && !Array.isArray(details)) {
				throw new FieldError(`${modelPath}details`, 'expected an array');
			}
			models.push({
				model,
				totalRequests: optCount(modelValue, 'total_requests', modelPath),
				totalTokens: optCount(modelValue, 'total_tokens', modelPath),
				details: (details as unknown[] | null | undefined) ?? null,
			});
		}
		apis.push({api, models});
	}
	return {totals, apis};
}

/** The whole `GET /usage` answer: `{"usage": {...}, "failed_requests": N}` (the latter since v6.3.0). */
export function readLegacyResponse(payload: unknown): LegacyPayload {
	if (!isObject(payload)) throw new FieldError('payload', 'expected a JSON object with a "usage" field');
	if (!('usage' in payload)) throw new FieldError('usage', 'missing');
	return readLegacyUsage(payload['usage']);
}

/** Never put a raw client key into an error message. */
function labelForPath(api: string): string {
	return isEndpointLabel(api) ? api : maskSecret(api);
}

/** One v6 detail as a record, keyed exactly like CPA's own `/usage/import`. */
export function readLegacyDetail(api: string, model: string, detail: unknown, salt: string, now: number, origin: RecordOrigin = 'legacy'): UsageRecord {
	if (!isObject(detail)) throw new FieldError('detail', 'expected an object');
	const raw = reqTimestampString(detail, 'timestamp', '');
	const ts = parseTimestamp(raw);
	if (!ts) throw new FieldError('timestamp', `not an RFC 3339 timestamp: ${JSON.stringify(raw.slice(0, 40))}`);
	checkTimestamp(ts.ms, now, raw);
	const rawSource = optString(detail, 'source', '');
	const authIndex = optString(detail, 'auth_index', '');
	const failed = optBool(detail, 'failed', '');
	const tokens = readTokens(optObject(detail, 'tokens', ''), 'tokens.');
	const endpointLabel = isEndpointLabel(api);
	const client = endpointLabel ? null : clientKeyIdentity(api, salt);
	const src = sourceIdentity(rawSource, salt);
	return {
		key: importKey(client ? client.hash : api, model, ts.canonical, src.keyed, authIndex, failed, tokens, null),
		timestampMs: ts.ms,
		origin,
		requestId: null,
		provider: null,
		executorType: null,
		model,
		alias: null,
		endpoint: endpointLabel ? api : null,
		authType: null,
		authIndex,
		source: src.shown,
		clientKeyMasked: client?.masked ?? null,
		clientKeyHash: client?.hash ?? null,
		failed,
		statusCode: null,
		latencyMs: optDuration(detail, 'latency_ms', '', RECORD_BOUNDS.maxDurationMs),
		ttftMs: null,
		tokens,
		breakdown: null,
		reasoningEffort: null,
		serviceTier: null,
	};
}

/** Where the previous poll stopped reading one `apis[api].models[model].details` array. */
export type ArrayCursor = {count: number; lastKey: string};

export type ArrayObservation = {
	arrayId: string;
	apiLabel: string;
	model: string;
	counters: {requests: number; tokens: number};
	/** Requests and tokens this poll saw that the previous poll had not (for the counter fallback). */
	observed: {requests: number; tokens: number};
	cursor: ArrayCursor;
	rescanned: boolean;
};

export type LegacyPlan = {
	records: UsageRecord[];
	problems: RecordProblem[];
	arrays: ArrayObservation[];
	/** Details of rescanned arrays left out because their dedupe key is already stored. */
	provenStored: number;
};

export type PlanOptions = {
	salt: string;
	/** Short stable id for an api label; the raw label can be a client key. */
	apiId: (api: string) => string;
	/** Newest detail timestamp stored so far (ms), or null when nothing is stored yet. */
	highWaterMs: number | null;
	/** Details are appended when a request completes, so their timestamps run out of order by up to a request's duration. */
	marginMs: number;
	/** This machine's clock: a detail more than a day ahead of it is skipped (RECORD_BOUNDS). */
	now: number;
	/** Whether a request with this record's dedupe key is stored; without it nothing is left out. */
	isStored?: (record: UsageRecord) => boolean;
};

/**
 * Finds the details a poll has not seen. CPA only appends to a details array until it
 * restarts, so each array is read from where the last poll stopped; the last seen detail's
 * key proves the array was not reset. A reset or new array is read whole. Its details older
 * than the high-water mark (less the margin) are likely stored, but time proves nothing (an
 * import, a new model or client key brings old stamps): each is left out only when its
 * dedupe key is found stored (`isStored`), so the cut-off narrows what is looked up, never
 * what is kept.
 */
export function planLegacyPoll(payload: LegacyPayload, cursors: ReadonlyMap<string, ArrayCursor>, options: PlanOptions): LegacyPlan {
	const records: UsageRecord[] = [];
	const problems: RecordProblem[] = [];
	const arrays: ArrayObservation[] = [];
	let provenStored = 0;
	const cutoff = options.highWaterMs === null ? -Infinity : options.highWaterMs - options.marginMs;
	let index = 0;
	for (const {api, models} of payload.apis) {
		const apiId = options.apiId(api);
		const apiLabel = isEndpointLabel(api) ? api : maskSecret(api);
		for (const m of models) {
			const arrayId = `${apiId}\u001F${m.model}`;
			const details = m.details ?? [];
			const previous = cursors.get(arrayId);
			const appendOnly =
				previous !== undefined &&
				details.length >= previous.count &&
				(previous.count === 0 || cursorKey(api, m.model, details[previous.count - 1], options.salt) === previous.lastKey);
			const start = appendOnly ? previous.count : 0;
			let observedTokens = 0;
			for (let i = start; i < details.length; i++) {
				const detail = details[i];
				observedTokens += rawTotalTokens(detail);
				try {
					const record = readLegacyDetail(api, m.model, detail, options.salt, options.now);
					if (!appendOnly && options.isStored && rawTimestampMs(detail) < cutoff && options.isStored(record)) {
						provenStored++;
						continue;
					}
					records.push(record);
				} catch (error) {
					if (!(error instanceof FieldError)) throw error;
					problems.push({index: index + i, field: `${apiLabel} ${m.model} details[${i}].${error.field}`, problem: error.problem});
				}
			}
			index += details.length;
			arrays.push({
				arrayId,
				apiLabel,
				model: m.model,
				counters: {requests: m.totalRequests, tokens: m.totalTokens},
				observed: {requests: details.length - start, tokens: observedTokens},
				cursor: {
					count: details.length,
					lastKey: details.length === 0 ? '' : cursorKey(api, m.model, details[details.length - 1], options.salt),
				},
				rescanned: !appendOnly && previous !== undefined,
			});
		}
	}
	return {records, problems, arrays, provenStored};
}

/** Independent of the clock (no future bound), so the same detail always gives the same cursor. */
function cursorKey(api: string, model: string, detail: unknown, salt: string): string {
	try {
		return keyDigest(readLegacyDetail(api, model, detail, salt, Infinity).key, salt);
	} catch {
		return `unreadable:${JSON.stringify(detail)?.length ?? 0}`;
	}
}

function rawTimestampMs(detail: unknown): number {
	const raw = isObject(detail) ? detail['timestamp'] : undefined;
	if (typeof raw !== 'string') return Infinity; // unreadable: let the reader report it
	return parseTimestamp(raw)?.ms ?? Infinity;
}

function rawTotalTokens(detail: unknown): number {
	if (!isObject(detail)) return 0;
	const tokens = detail['tokens'] as Json | undefined;
	const total = isObject(tokens) ? tokens['total_tokens'] : 0;
	return typeof total === 'number' && total > 0 ? total : 0;
}
