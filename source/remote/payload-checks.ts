/**
 * Checks for what a `--headless` instance answers, shared by the readers of its routes: the
 * answer is bounded (depth, list lengths, string lengths) and its fields typed where a wrong
 * type would crash a view. Strings are left for the views' own sanitiser (safeText).
 */

/** Strings past this are cut (the views cut far shorter); deeper or longer structures are refused. */
const MAX_STRING = 4096;
const MAX_DEPTH = 12;
const MAX_ITEMS = 10_000;

/** The remote answered something this build cannot show; the message names the field. */
export class RemotePayloadError extends Error {}

/** An answer's top-level object: JSON, bounded, and of the dashboard schema this build reads. */
export function answerBody(text: string, schema: number): Record<string, unknown> {
	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch {
		throw new RemotePayloadError('the answer is not JSON');
	}
	const top = object(bounded(raw, 'answer', 0), 'answer');
	if (top['schema'] !== schema) {
		throw new RemotePayloadError(`the remote speaks dashboard schema ${JSON.stringify(top['schema'])}, this build reads ${schema}: run the same cliproxy-usage version on both ends`);
	}
	return top;
}

/** A copy with every string cut to MAX_STRING; too deep or too long a structure is refused. */
export function bounded(value: unknown, path: string, depth: number): unknown {
	if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING - 1)}…` : value;
	if (value === null || typeof value !== 'object') return value;
	if (depth > MAX_DEPTH) throw new RemotePayloadError(`${path}: nested deeper than ${MAX_DEPTH}`);
	if (Array.isArray(value)) {
		if (value.length > MAX_ITEMS) throw new RemotePayloadError(`${path}: more than ${MAX_ITEMS} items`);
		return value.map((v, i) => bounded(v, `${path}[${i}]`, depth + 1));
	}
	const entries = Object.entries(value);
	if (entries.length > MAX_ITEMS) throw new RemotePayloadError(`${path}: more than ${MAX_ITEMS} fields`);
	return Object.fromEntries(entries.map(([k, v]) => [k, bounded(v, `${path}.${k}`, depth + 1)]));
}

export const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function object(value: unknown, path: string): Record<string, unknown> {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new RemotePayloadError(`${path}: expected an object`);
	return value as Record<string, unknown>;
}

export function list(value: unknown, path: string): unknown[] {
	if (!Array.isArray(value)) throw new RemotePayloadError(`${path}: expected a list`);
	return value;
}

export function numbers(obj: Record<string, unknown>, path: string, keys: readonly string[]): void {
	for (const k of keys) if (!isNumber(obj[k])) throw new RemotePayloadError(`${path}.${k}: expected a number`);
}

export function strings(obj: Record<string, unknown>, path: string, keys: readonly string[]): void {
	for (const k of keys) if (typeof obj[k] !== 'string') throw new RemotePayloadError(`${path}.${k}: expected a string`);
}
