/**
 * An object used as a map from outside text (model names, endpoints, client keys) to values:
 * no prototype, so `__proto__`, `constructor` or `toString` are keys like any other and can
 * neither reach Object.prototype nor find something that was never stored.
 */
export type Dict<T> = Record<string, T>;

export function dict<T>(entries?: Iterable<readonly [string, T]>): Dict<T> {
	const out = Object.create(null) as Dict<T>;
	if (entries) for (const [k, v] of entries) out[k] = v;
	return out;
}

/** A copy of a parsed JSON object (own properties, `__proto__` included) without a prototype. */
export function dictFrom<T>(value: unknown): Dict<T> {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return dict<T>();
	return dict(Object.entries(value as Record<string, T>));
}
