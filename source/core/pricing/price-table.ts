/**
 * Price tables in our own compact shape. Every price is **USD per million tokens** (LiteLLM's
 * per-token figures are converted when read). An absent cache price means the source has
 * none; pricing then bills those tokens at the input rate (see `ratesOf`).
 */
export type PriceTier = {
	/** Applies to the whole request when its prompt (uncached + cache read + cache write) exceeds this many tokens. */
	above: number;
	input?: number;
	output?: number;
	cacheRead?: number;
	cacheWrite?: number;
};

export type ModelPrice = {
	input: number;
	output: number;
	cacheRead?: number;
	cacheWrite?: number;
	/** Long-context tiers, ascending by `above`. A field a tier lacks keeps the base rate. */
	tiers?: PriceTier[];
	/** The source's own prices for OpenAI/Gemini service tiers; a tier not listed is billed at these standard prices. */
	serviceTiers?: Partial<Record<ServiceTier, ServiceTierPrice>>;
	/** Why a figure is not the source's own, e.g. cache prices derived from a published rule. */
	note?: string;
};

/** The service tiers priced apart (`service_tier` / `response_service_tier`); `default`, `auto` and the rest are standard. */
export type ServiceTier = 'priority' | 'flex';
export const SERVICE_TIERS: readonly ServiceTier[] = ['priority', 'flex'];

/**
 * One service tier's prices (LiteLLM's `*_priority` / `*_flex` fields). A field the tier lacks
 * is the standard one, and so is a long-context field, as LiteLLM bills it.
 */
export type ServiceTierPrice = {
	input?: number;
	output?: number;
	cacheRead?: number;
	cacheWrite?: number;
	tiers?: PriceTier[];
};

export type PriceSourceName = 'override' | 'litellm' | 'llm-prices';

/** One source's prices at one version; layers of these, most trusted first, make a price index. */
export type PriceTable = {
	source: PriceSourceName;
	/** Shown in every price reference: a fetch date, `bundled-<data date>`, or `db-…`/`file-…` for overrides. */
	version: string;
	/** Where the data came from (URL, file, commit), for `prices show`. */
	origin?: string;
	/** Keyed by model names from feeds and users: a null-prototype dict (core/text/dict.ts). */
	models: Record<string, ModelPrice>;
};

/** The key of the fallback price for models no table knows. Never matched as a model name. */
export const DEFAULT_KEY = '_default';

/**
 * The original collector's `_default` (USD per 1M tokens), kept so totals stay comparable.
 * Users override it like any model (`prices set _default …`). Requests priced with it are
 * always flagged estimated.
 */
export const BUILTIN_DEFAULT: ModelPrice = {input: 0.15, output: 0.6};

/** Resolved per-million rates for one tier: nothing left to look up on the hot path. */
export type Rates = {input: number; output: number; cacheRead: number; cacheWrite: number};

/** Rates ready for arithmetic: base rates and long-context tiers, highest threshold first. */
export type CompiledRates = {base: Rates; tiers: Array<Rates & {above: number}>};

/** A price ready for arithmetic: the standard rates, and each service tier's where the source has them. */
export type CompiledPrice = CompiledRates & {priority: CompiledRates | null; flex: CompiledRates | null};

/**
 * Fills every gap: a missing cache read or write price is the input price (the source has no
 * discount we know of, so the tokens cost what uncached input costs), and a tier field the
 * tier lacks keeps the base rate, as LiteLLM does.
 */
export function compilePrice(price: ModelPrice): CompiledPrice {
	const st = price.serviceTiers;
	return {
		...compileRates(price),
		priority: st?.priority ? compileRates(serviceTierPrice(price, st.priority)) : null,
		flex: st?.flex ? compileRates(serviceTierPrice(price, st.flex)) : null,
	};
}

/**
 * A service tier as a whole price: each field the tier's own, else the standard one; a
 * long-context tier's field the tier's own at that threshold, else the standard one there,
 * else the tier's base rate (LiteLLM's `_get_token_base_cost` fallbacks).
 */
export function serviceTierPrice(price: ModelPrice, tier: ServiceTierPrice): ModelPrice {
	const out: ModelPrice = {input: tier.input ?? price.input, output: tier.output ?? price.output};
	const cacheRead = tier.cacheRead ?? price.cacheRead;
	const cacheWrite = tier.cacheWrite ?? price.cacheWrite;
	if (cacheRead !== undefined) out.cacheRead = cacheRead;
	if (cacheWrite !== undefined) out.cacheWrite = cacheWrite;
	const thresholds = [...new Set([...(price.tiers ?? []), ...(tier.tiers ?? [])].map(t => t.above))].sort((a, b) => a - b);
	if (thresholds.length > 0) {
		out.tiers = thresholds.map(above => {
			const own = tier.tiers?.find(t => t.above === above);
			const std = price.tiers?.find(t => t.above === above);
			const merged: PriceTier = {above};
			for (const field of ['input', 'output', 'cacheRead', 'cacheWrite'] as const) {
				const value = own?.[field] ?? std?.[field];
				if (value !== undefined) merged[field] = value;
			}
			return merged;
		});
	}
	return out;
}

function compileRates(price: ModelPrice): CompiledRates {
	const base = ratesOf(price);
	const tiers = (price.tiers ?? [])
		.map(t => {
			const input = t.input ?? base.input;
			return {
				above: t.above,
				input,
				output: t.output ?? base.output,
				cacheRead: t.cacheRead ?? (price.cacheRead === undefined ? input : base.cacheRead),
				cacheWrite: t.cacheWrite ?? (price.cacheWrite === undefined ? input : base.cacheWrite),
			};
		})
		.sort((a, b) => b.above - a.above);
	return {base, tiers};
}

export function ratesOf(price: ModelPrice): Rates {
	return {
		input: price.input,
		output: price.output,
		cacheRead: price.cacheRead ?? price.input,
		cacheWrite: price.cacheWrite ?? price.input,
	};
}

/** A finite, non-negative number of USD per million tokens. */
export function isPrice(value: unknown): value is number {
	return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/** Rounds per-token conversions (3e-6 × 1e6 = 2.9999999999999996) back to what was meant. */
export function perMillion(perToken: number): number {
	return Number((perToken * 1e6).toPrecision(12));
}
