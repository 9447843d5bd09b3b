import {FieldError, isObject} from '../cpa/fields.js';
import type {ModelPrice, PriceTable, PriceTier} from './price-table.js';
import {dict} from '../text/dict.js';

/**
 * Anthropic bills a cache read at 0.1× and a 5-minute cache write at 1.25× the base input
 * price for every model since Claude 3.5 (LiteLLM's data agrees for all of them; only
 * Claude 3 Haiku differs). llm-prices.com publishes no cache-write price and often no
 * cache-read price, so for Anthropic models these are derived, and the price says so.
 */
export const ANTHROPIC_CACHE_READ = 0.1;
export const ANTHROPIC_CACHE_WRITE = 1.25;
const DERIVED_NOTE = "cache write price (and cache read, where the source has none) derived from Anthropic's 1.25x / 0.1x rule";

type Row = {id: string; vendor: string; input: number; output: number; cached: number | null};

/**
 * Converts llm-prices.com `current-v1.json` (`{updated_at, prices: [{id, vendor, input,
 * output, input_cached}]}`, USD per million) into a table. Its long-context prices are
 * separate ids (`gemini-2.5-pro-200k`, `gpt-5.4-272k`); each becomes a tier of its base id.
 */
export function fromLlmPrices(raw: unknown, version?: string, origin?: string): PriceTable {
	if (!isObject(raw) || !Array.isArray(raw['prices'])) throw new FieldError('llm-prices', 'expected {"updated_at": …, "prices": [...]}');
	const updated = typeof raw['updated_at'] === 'string' ? raw['updated_at'] : 'unknown';
	const rows = new Map<string, Row>();
	for (const p of raw['prices']) {
		if (!isObject(p) || typeof p['id'] !== 'string') continue;
		const input = p['input'];
		const output = p['output'];
		if (!isNumber(input) || !isNumber(output)) continue;
		const id = p['id'].trim().toLowerCase();
		if (!rows.has(id)) rows.set(id, {id, vendor: String(p['vendor'] ?? ''), input, output, cached: isNumber(p['input_cached']) ? p['input_cached'] : null});
	}
	const models = dict<ModelPrice>();
	const tiers = new Map<string, PriceTier[]>();
	for (const row of rows.values()) {
		const m = /^(.+)-(\d+)k$/.exec(row.id);
		if (m && rows.has(m[1]!)) {
			const list = tiers.get(m[1]!) ?? [];
			list.push({above: Number(m[2]) * 1000, ...prices(row)});
			tiers.set(m[1]!, list);
			continue;
		}
		models[row.id] = {...prices(row), ...(row.vendor === 'anthropic' ? {note: DERIVED_NOTE} : {})};
	}
	for (const [id, list] of tiers) models[id]!.tiers = list.sort((a, b) => a.above - b.above);
	return {source: 'llm-prices', version: version ?? updated, ...(origin ? {origin} : {}), models};
}

function prices(row: Row): {input: number; output: number; cacheRead?: number; cacheWrite?: number} {
	const out: {input: number; output: number; cacheRead?: number; cacheWrite?: number} = {input: row.input, output: row.output};
	if (row.cached !== null) out.cacheRead = row.cached;
	if (row.vendor === 'anthropic') {
		out.cacheRead ??= round(row.input * ANTHROPIC_CACHE_READ);
		out.cacheWrite = round(row.input * ANTHROPIC_CACHE_WRITE);
	}
	return out;
}

/** The date llm-prices.com stamps on its data, or null when the payload has none. */
export function llmPricesDate(raw: unknown): string | null {
	return isObject(raw) && typeof raw['updated_at'] === 'string' ? raw['updated_at'] : null;
}

function isNumber(value: unknown): value is number {
	return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function round(value: number): number {
	return Number(value.toPrecision(12));
}
