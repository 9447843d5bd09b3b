import {canonicalModelId, normalizeModelId, prefixCandidates} from './model-name.js';
import {BUILTIN_DEFAULT, compilePrice, DEFAULT_KEY, type CompiledPrice, type ModelPrice, type PriceSourceName, type PriceTable} from './price-table.js';

/** How a model name found its price; `default` means no table knows it. */
export type MatchHow = 'exact' | 'normalized' | 'alias' | 'prefix' | 'default';

export type PriceMatch = {
	/** The model name asked about. */
	model: string;
	/** The table key whose price applies. */
	key: string;
	how: MatchHow;
	/** True when priced at `_default`: no table knows the model. */
	estimated: boolean;
	source: PriceSourceName | 'default';
	version: string;
	/** `source@version:key`, stored with every priced request. */
	ref: string;
	price: ModelPrice;
	compiled: CompiledPrice;
	/** Fields an override left out and that came from the next source down. */
	inheritedFrom: string | null;
};

type Entry = {layer: number; key: string; normalized: string};

/**
 * Finds the price of a model name across layered tables (most trusted first): exact id, then
 * the normalized id (prefixes, dates removed), then the canonical alias (dots vs dashes,
 * Claude word order), then the longest canonical prefix that only drops trailing qualifiers.
 * Never a substring match: `gpt-4o-mini` is never priced as `gpt-4o` while `gpt-4o-mini` is
 * known. The name resolves to a model identity first; its price then comes from the most
 * trusted layer that has that identity, so an override of `claude-sonnet-4-5` also prices
 * `claude-sonnet-4-5-20250929`.
 */
export class PriceIndex {
	private readonly byRaw = new Map<string, string>();
	private readonly byNormalized = new Map<string, string>();
	private readonly byCanonical = new Map<string, Entry[]>();
	private readonly fallback: PriceMatch;

	constructor(private readonly layers: readonly PriceTable[]) {
		layers.forEach((table, layer) => {
			for (const key of Object.keys(table.models)) {
				const raw = key.trim().toLowerCase();
				if (raw === DEFAULT_KEY) continue;
				const normalized = normalizeModelId(raw);
				if (!normalized) continue;
				const canonical = canonicalModelId(normalized);
				if (!this.byRaw.has(raw)) this.byRaw.set(raw, canonical);
				if (!this.byNormalized.has(normalized)) this.byNormalized.set(normalized, canonical);
				let list = this.byCanonical.get(canonical);
				if (!list) this.byCanonical.set(canonical, (list = []));
				list.push({layer, key, normalized});
			}
		});
		this.fallback = this.defaultMatch('');
	}

	/** The `_default` price, from the most trusted table that sets it, else the built-in one. */
	defaultMatch(model: string): PriceMatch {
		const layer = this.layers.findIndex(t => t.models[DEFAULT_KEY] !== undefined);
		const table = layer >= 0 ? this.layers[layer]! : null;
		const price = table ? table.models[DEFAULT_KEY]! : BUILTIN_DEFAULT;
		const source = table ? table.source : 'default';
		const version = table ? table.version : 'bundled';
		return {
			model,
			key: DEFAULT_KEY,
			how: 'default',
			estimated: true,
			source,
			version,
			ref: `${source}@${version}:${DEFAULT_KEY}`,
			price,
			compiled: compilePrice(price),
			inheritedFrom: null,
		};
	}

	match(model: string): PriceMatch {
		const raw = model.trim().toLowerCase();
		const normalized = normalizeModelId(raw);
		const canonical = canonicalModelId(normalized);
		let how: MatchHow;
		let identity = this.byRaw.get(raw);
		if (identity !== undefined) how = 'exact';
		else if ((identity = this.byNormalized.get(normalized)) !== undefined) how = 'normalized';
		else if (this.byCanonical.has(canonical)) {
			identity = canonical;
			how = 'alias';
		} else {
			identity = prefixCandidates(canonical).find(c => this.byCanonical.has(c));
			how = 'prefix';
		}
		if (identity === undefined || raw === DEFAULT_KEY) return {...this.fallback, model};
		return this.priced(model, raw, normalized, identity, how);
	}

	private priced(model: string, raw: string, normalized: string, identity: string, how: MatchHow): PriceMatch {
		const entries = this.byCanonical.get(identity)!;
		const top = Math.min(...entries.map(e => e.layer));
		const entry = best(entries.filter(e => e.layer === top), raw, normalized);
		const table = this.layers[top]!;
		let price = table.models[entry.key]!;
		let inheritedFrom: string | null = null;
		if (table.source === 'override') {
			const below = entries.filter(e => e.layer > top && this.layers[e.layer]!.source !== 'override');
			if (below.length > 0) {
				const next = Math.min(...below.map(e => e.layer));
				const lower = this.layers[next]!;
				const lowerKey = best(below.filter(e => e.layer === next), raw, normalized).key;
				const merged = inherit(price, lower.models[lowerKey]!);
				if (merged !== price) {
					inheritedFrom = `${lower.source}@${lower.version}:${lowerKey}`;
					price = merged;
				}
			}
		}
		return {
			model,
			key: entry.key,
			how,
			estimated: false,
			source: table.source,
			version: table.version,
			ref: `${table.source}@${table.version}:${entry.key}`,
			price,
			compiled: compilePrice(price),
			inheritedFrom,
		};
	}
}

/** Within one table: the key asked for, else its normalized form, else the undated key, else the shortest. */
function best(entries: Entry[], raw: string, normalized: string): Entry {
	const score = (e: Entry): number => {
		const k = e.key.toLowerCase();
		return k === raw ? 3 : k === normalized ? 2 : k === e.normalized ? 1 : 0;
	};
	return entries.reduce((a, b) => {
		const d = score(b) - score(a);
		if (d !== 0) return d > 0 ? b : a;
		if (a.key.length !== b.key.length) return b.key.length < a.key.length ? b : a;
		return b.key > a.key ? b : a;
	});
}

/**
 * An override that names only input and output keeps the cache prices of the source below.
 * Long-context tiers and service-tier prices are not inherited: they are absolute figures tied
 * to the source's base price, and an override is taken to be the whole price for every prompt
 * size and every service tier.
 */
function inherit(override: ModelPrice, lower: ModelPrice): ModelPrice {
	const cacheRead = override.cacheRead ?? lower.cacheRead;
	const cacheWrite = override.cacheWrite ?? lower.cacheWrite;
	if (cacheRead === override.cacheRead && cacheWrite === override.cacheWrite) return override;
	const out: ModelPrice = {...override};
	if (cacheRead !== undefined) out.cacheRead = cacheRead;
	if (cacheWrite !== undefined) out.cacheWrite = cacheWrite;
	return out;
}
