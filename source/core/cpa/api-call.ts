import {FieldError, isObject} from './fields.js';

/** CPA's `api-call` answer: the upstream status, its Retry-After (the only header read), the raw body. */
export type ApiCallAnswer = {statusCode: number; retryAfter: string | null; body: string};

/** At most this much of an upstream body is parsed; quota bodies are a few KB. */
export const MAX_API_CALL_BODY = 1 << 20;

/**
 * `{"status_code": 429, "header": {"Retry-After": ["0"], …}, "body": "<raw upstream body>"}`.
 * The header map may carry cookies: only Retry-After is read from it, and nothing of it is kept.
 */
export function readApiCallAnswer(payload: unknown): ApiCallAnswer {
	if (!isObject(payload)) throw new FieldError('api-call', 'expected {"status_code", "header", "body"}');
	const code = payload['status_code'];
	if (typeof code !== 'number' || !Number.isInteger(code) || code < 100 || code > 599) throw new FieldError('api-call.status_code', 'expected an HTTP status');
	const body = payload['body'];
	if (body !== undefined && body !== null && typeof body !== 'string') throw new FieldError('api-call.body', 'expected a string');
	if (typeof body === 'string' && body.length > MAX_API_CALL_BODY) throw new FieldError('api-call.body', `longer than ${MAX_API_CALL_BODY} characters`);
	let retryAfter: string | null = null;
	const header = payload['header'];
	if (isObject(header)) {
		for (const [name, value] of Object.entries(header)) {
			if (name.toLowerCase() !== 'retry-after') continue;
			const first = Array.isArray(value) ? value.find(v => typeof v === 'string') : value;
			if (typeof first === 'string' && first.length <= 64) retryAfter = first.trim();
			break;
		}
	}
	return {statusCode: code, retryAfter, body: typeof body === 'string' ? body : ''};
}
