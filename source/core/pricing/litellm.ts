import {FieldError, isObject, type Json} from '../cpa/fields.js';
import {perMillion, SERVICE_TIERS, type ModelPrice, type PriceTable, type PriceTier, type ServiceTierPrice} from './price-table.js';
import {dict} from '../text/dict.js';

/**
 * The LiteLLM providers worth keeping: the ones CPA serves directly (Anthropic, OpenAI/Codex,
 * Gemini/Vertex) and the vendors its OpenAI-compatible, iFlow, Qwen and Kimi providers front.
 * Resellers (Bedrock, Azure, OpenRouter, Fireworks …) price the same models differently and
 * are left out.
 */
export const LITELLM_PROVIDERS: ReadonlySet<string> = new Set([
	'anthropic',
	'openai',
	'gemini',
	'vertex_ai-language-models',
	'xai',
	'deepseek',
	'moonshot',
	'dashscope',
	'zai',
	'minimax',
	'mistral',
]);

const MODES = new Set(['chat', 'responses']);
const NOT_TEXT = /audio|realtime|tts|transcribe|image|embedding|search-preview|computer-use/;

/**
 * Converts LiteLLM's `model_prices_and_context_window.json` (USD per token) into a table in
 * our shape (USD per million). Keys lose a leading `provider/` when no unprefixed entry has
 * the same name; `*_above_<N>k_tokens` fields and `tiered_pricing` ranges become tiers, and
 * the `*_priority` / `*_flex` fields (`input_cost_per_token_priority`,
 * `cache_read_input_token_cost_above_200k_tokens_flex`, …) the service tiers' prices.
 */
export function fromLiteLLM(raw: unknown, version: string, origin?: string, providers: ReadonlySet<string> = LITELLM_PROVIDERS): PriceTable {
	if (!isObject(raw)) throw new FieldError('litellm', 'expected a JSON object keyed by model id');
	const models = dict<ModelPrice>();
	const entries = Object.entries(raw).filter(([key, v]) => key !== 'sample_spec' && isObject(v) && providers.has(String(v['litellm_provider'])));
	// Unprefixed ids first, so `gemini-2.5-pro` wins over `gemini/gemini-2.5-pro`.
	entries.sort(([a], [b]) => Number(a.includes('/')) - Number(b.includes('/')));
	for (const [key, value] of entries) {
		const v = value as Json;
		if (v['mode'] !== undefined && !MODES.has(String(v['mode']))) continue;
		const id = key.replace(/^[a-z_-]+\//, '').toLowerCase();
		if (id.includes('/') || id.startsWith('ft:') || NOT_TEXT.test(id) || models[id]) continue;
		const price = readEntry(v);
		if (price) models[id] = price;
	}
	return {source: 'litellm', version, ...(origin ? {origin} : {}), models};
}

function readEntry(v: Json): ModelPrice | null {
	const ranges = readRanges(v['tiered_pricing']);
	const base = ranges.find(r => r.above === 0);
	const input = num(v['input_cost_per_token']) ?? base?.input;
	const output = num(v['output_cost_per_token']) ?? base?.output;
	if (input === undefined || output === undefined || (input === 0 && output === 0)) return null;
	const price: ModelPrice = {input: perMillion(input), output: perMillion(output)};
	const cacheRead = num(v['cache_read_input_token_cost']) ?? num(v['input_cost_per_token_cache_hit']) ?? base?.cacheRead;
	const cacheWrite = num(v['cache_creation_input_token_cost']) ?? base?.cacheWrite;
	if (cacheRead !== undefined) price.cacheRead = perMillion(cacheRead);
	if (cacheWrite !== undefined) price.cacheWrite = perMillion(cacheWrite);
	const tiers = [...readThresholds(v), ...ranges.filter(r => r.above > 0)]
		.map(t => scale(t))
		.sort((a, b) => a.above - b.above);
	if (tiers.length > 0) price.tiers = tiers;
	for (const name of SERVICE_TIERS) {
		const tier = readServiceTier(v, `_${name}`);
		if (tier) (price.serviceTiers ??= {})[name] = tier;
	}
	return price;
}

/** The fields of one service tier (`suffix` `_priority` or `_flex`); null when the source has none. */
function readServiceTier(v: Json, suffix: string): ServiceTierPrice | null {
	const tier: ServiceTierPrice = {};
	const input = num(v[`input_cost_per_token${suffix}`]);
	const output = num(v[`output_cost_per_token${suffix}`]);
	const cacheRead = num(v[`cache_read_input_token_cost${suffix}`]);
	const cacheWrite = num(v[`cache_creation_input_token_cost${suffix}`]);
	if (input !== undefined) tier.input = perMillion(input);
	if (output !== undefined) tier.output = perMillion(output);
	if (cacheRead !== undefined) tier.cacheRead = perMillion(cacheRead);
	if (cacheWrite !== undefined) tier.cacheWrite = perMillion(cacheWrite);
	const tiers = readThresholds(v, suffix).map(t => scale(t));
	if (tiers.length > 0) tier.tiers = tiers.sort((a, b) => a.above - b.above);
	return Object.keys(tier).length > 0 ? tier : null;
}

/**
 * `input_cost_per_token_above_200k_tokens` and friends (with a service tier's `suffix`:
 * `…_above_200k_tokens_priority`); a standard tier exists only where its input price does, a
 * service tier's wherever it has any field.
 */
function readThresholds(v: Json, tierSuffix = ''): PriceTier[] {
	const tiers: PriceTier[] = [];
	const found = /^(?:input_cost_per_token|output_cost_per_token|cache_read_input_token_cost|cache_creation_input_token_cost)_above_(\d+)(k?)_tokens(_priority|_flex)?$/;
	const seen = new Set<string>();
	for (const key of Object.keys(v)) {
		const m = found.exec(key);
		if (!m || (m[3] ?? '') !== tierSuffix || seen.has(m[1]! + m[2]!)) continue;
		seen.add(m[1]! + m[2]!);
		const suffix = `_above_${m[1]}${m[2]}_tokens${tierSuffix}`;
		const input = num(v[`input_cost_per_token${suffix}`]);
		if (input === undefined && tierSuffix === '') continue;
		const tier: PriceTier = {above: Number(m[1]) * (m[2] ? 1000 : 1)};
		if (input !== undefined) tier.input = input;
		const output = num(v[`output_cost_per_token${suffix}`]);
		const cacheRead = num(v[`cache_read_input_token_cost${suffix}`]);
		const cacheWrite = num(v[`cache_creation_input_token_cost${suffix}`]);
		if (output !== undefined) tier.output = output;
		if (cacheRead !== undefined) tier.cacheRead = cacheRead;
		if (cacheWrite !== undefined) tier.cacheWrite = cacheWrite;
		tiers.push(tier);
	}
	return tiers;
}

/** `tiered_pricing: [{range: [0, 32000], input_cost_per_token, …}, …]` (DashScope). */
function readRanges(value: unknown): PriceTier[] {
	if (!Array.isArray(value)) return [];
	const tiers: PriceTier[] = [];
	for (const t of value) {
		if (!isObject(t) || !Array.isArray(t['range'])) continue;
		const above = num(t['range'][0]);
		const input = num(t['input_cost_per_token']);
		if (above === undefined || input === undefined) continue;
		const tier: PriceTier = {above, input};
		const output = num(t['output_cost_per_token']);
		const cacheRead = num(t['cache_read_input_token_cost']);
		const cacheWrite = num(t['cache_creation_input_token_cost']);
		if (output !== undefined) tier.output = output;
		if (cacheRead !== undefined) tier.cacheRead = cacheRead;
		if (cacheWrite !== undefined) tier.cacheWrite = cacheWrite;
		tiers.push(tier);
	}
	return tiers;
}

function scale(t: PriceTier): PriceTier {
	const out: PriceTier = {above: t.above};
	if (t.input !== undefined) out.input = perMillion(t.input);
	if (t.output !== undefined) out.output = perMillion(t.output);
	if (t.cacheRead !== undefined) out.cacheRead = perMillion(t.cacheRead);
	if (t.cacheWrite !== undefined) out.cacheWrite = perMillion(t.cacheWrite);
	return out;
}

/** LiteLLM writes most prices as numbers, a few as strings ("3e-7"). */
function num(value: unknown): number | undefined {
	const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined;
}
