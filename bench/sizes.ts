import {fmt} from './harness.js';

/**
 * The database sizes the scale benches measure at: 1,000,000 and 10,000,000 requests over the
 * same 35 days (BENCH_DB_SIZES=50000,200000 checks the benches quickly; the recorded figures
 * use the default).
 */
export function benchSizes(): number[] {
	const raw = process.env['BENCH_DB_SIZES'] ?? process.env['BENCH_DB_REQUESTS'] ?? '1000000,10000000';
	const sizes = raw.split(',').map(s => Number(s.trim())).filter(n => Number.isInteger(n) && n > 0);
	if (sizes.length === 0) throw new Error(`BENCH_DB_SIZES must list request counts, such as 1000000,10000000 (got ${JSON.stringify(raw)})`);
	return sizes;
}

/** "1M", "10M", "250k": a size as a heading says it. */
export function sizeLabel(n: number): string {
	return n >= 1e6 ? `${fmt(n / 1e6, n % 1e6 ? 1 : 0)}M` : `${fmt(n / 1e3)}k`;
}
