/** Parsers for the text values of quota headers and bodies; each returns null when unusable. */

export function num(value: string | undefined | null): number | null {
	if (value === undefined || value === null || value === '') return null;
	if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(value)) return null;
	const n = Number(value);
	return Number.isFinite(n) ? n : null;
}

/** Unix epoch seconds (the header form), else RFC 3339 or an HTTP date; epoch ms. */
export function instant(value: string | undefined | null): number | null {
	if (value === undefined || value === null || value === '') return null;
	const n = num(value);
	if (n !== null) return n > 0 && n < 1e11 ? Math.round(n * 1000) : null;
	const ms = Date.parse(value);
	return Number.isFinite(ms) ? ms : null;
}

/** `Retry-After`: delay in seconds, or an HTTP date; the instant it ends, from `at`. */
export function retryAfterUntil(value: string | undefined | null, at: number): number | null {
	if (value === undefined || value === null || value === '') return null;
	const n = num(value);
	if (n !== null) return n >= 0 && n < 1e9 ? at + Math.round(n * 1000) : null;
	const ms = Date.parse(value);
	return Number.isFinite(ms) ? ms : null;
}

export function bool(value: string | undefined | null): boolean | null {
	if (value === undefined || value === null) return null;
	const v = value.toLowerCase();
	if (v === 'true' || v === '1') return true;
	if (v === 'false' || v === '0') return false;
	return null;
}

export const round2 = (n: number) => Math.round(n * 100) / 100;
