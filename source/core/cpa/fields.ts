/** Small typed readers for untrusted JSON; each names the field when it fails. */
export class FieldError extends Error {
	constructor(
		readonly field: string,
		readonly problem: string,
	) {
		super(`${field}: ${problem}`);
	}
}

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
	return `${typeof value} ${String(value)}`;
}

export function optString(obj: Json, key: string, path: string): string | null {
	const v = obj[key];
	if (v === undefined || v === null || v === '') return null;
	if (typeof v !== 'string') throw new FieldError(`${path}${key}`, `expected a string, got ${describe(v)}`);
	return v;
}

/** A non-negative integer, at most `max` (a per-request bound, or any safe integer for CPA's cumulative counters). */
export function optCount(obj: Json, key: string, path: string, max = Number.MAX_SAFE_INTEGER): number {
	const v = obj[key];
	if (v === undefined || v === null) return 0;
	if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
		throw new FieldError(`${path}${key}`, `expected a non-negative integer, got ${describe(v)}`);
	}
	if (v > max) throw new FieldError(`${path}${key}`, `${v} is more than ${max.toLocaleString('en-US')}, beyond what one request can carry`);
	return v;
}

export function optInt(obj: Json, key: string, path: string): number | null {
	const v = obj[key];
	if (v === undefined || v === null) return null;
	if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new FieldError(`${path}${key}`, `expected an integer, got ${describe(v)}`);
	return v;
}

/** A duration in whole milliseconds from 0 to `max`, or null when absent. */
export function optDuration(obj: Json, key: string, path: string, max: number): number | null {
	const v = optInt(obj, key, path);
	if (v === null) return null;
	if (v < 0 || v > max) throw new FieldError(`${path}${key}`, `expected milliseconds from 0 to ${max.toLocaleString('en-US')}, got ${v}`);
	return v;
}

export function optBool(obj: Json, key: string, path: string): boolean {
	const v = obj[key];
	if (v === undefined || v === null) return false;
	if (typeof v !== 'boolean') throw new FieldError(`${path}${key}`, `expected true or false, got ${describe(v)}`);
	return v;
}

export function optObject(obj: Json, key: string, path: string): Json | null {
	const v = obj[key];
	if (v === undefined || v === null) return null;
	if (!isObject(v)) throw new FieldError(`${path}${key}`, `expected an object, got ${describe(v)}`);
	return v;
}

export function reqTimestampString(obj: Json, key: string, path: string): string {
	const v = obj[key];
	if (typeof v !== 'string') throw new FieldError(`${path}${key}`, `expected an RFC 3339 timestamp, got ${describe(v)}`);
	return v;
}
