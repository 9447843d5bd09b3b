import {FieldError, isObject} from '../cpa/fields.js';
import {isPrice, SERVICE_TIERS, type ModelPrice, type PriceTable, type PriceTier, type ServiceTierPrice} from './price-table.js';
import {dict} from '../text/dict.js';

/**
 * The user's overrides file (`PRICES_FILE`), USD per million tokens:
 *
 *     {"models": {"glm-4.6": {"input": 0.6, "output": 2.2, "cache_read": 0.11},
 *                 "_default": {"input": 3, "output": 15}}}
 *
 * `cache_read` and `cache_write` are optional: left out, they come from the source below
 * (LiteLLM, llm-prices), else the input price. Unknown fields are refused, so a typo never
 * silently prices at the wrong rate.
 */
export function readOverridesFile(raw: unknown, version: string, origin: string): PriceTable {
	if (!isObject(raw) || !isObject(raw['models'])) throw new FieldError('models', 'expected {"models": {"<model>": {"input": …, "output": …}}}');
	for (const key of Object.keys(raw)) if (key !== 'models') throw new FieldError(key, 'unknown field; the file has only "models"');
	const models = dict<ModelPrice>();
	for (const [model, value] of Object.entries(raw['models'])) {
		const path = `models[${JSON.stringify(model)}]`;
		if (!model.trim()) throw new FieldError(path, 'a model name cannot be empty');
		if (!isObject(value)) throw new FieldError(path, 'expected {"input": …, "output": …}');
		for (const key of Object.keys(value)) {
			if (!['input', 'output', 'cache_read', 'cache_write'].includes(key)) throw new FieldError(`${path}.${key}`, 'unknown field; use input, output, cache_read, cache_write');
		}
		const price: ModelPrice = {input: usd(value['input'], `${path}.input`), output: usd(value['output'], `${path}.output`)};
		if (value['cache_read'] !== undefined) price.cacheRead = usd(value['cache_read'], `${path}.cache_read`);
		if (value['cache_write'] !== undefined) price.cacheWrite = usd(value['cache_write'], `${path}.cache_write`);
		models[model.trim().toLowerCase()] = price;
	}
	return {source: 'override', version, origin, models};
}

function usd(value: unknown, field: string): number {
	if (!isPrice(value)) throw new FieldError(field, `must be a number of USD per million tokens, 0 or more (got ${JSON.stringify(value)})`);
	return value;
}

/**
 * A table as we store it (the bundled snapshot, the cached copy of the last fetch): checked
 * field by field, so a damaged cache is refused rather than pricing at nonsense.
 */
export function readStoredTable(raw: unknown, path: string): PriceTable {
	if (!isObject(raw)) throw new FieldError(path, 'expected a price table object');
	const source = raw['source'];
	if (source !== 'litellm' && source !== 'llm-prices' && source !== 'override') throw new FieldError(`${path}.source`, `unknown source ${JSON.stringify(source)}`);
	if (typeof raw['version'] !== 'string') throw new FieldError(`${path}.version`, 'expected a string');
	if (!isObject(raw['models'])) throw new FieldError(`${path}.models`, 'expected an object');
	const models = dict<ModelPrice>();
	for (const [key, value] of Object.entries(raw['models'])) models[key] = readModelPrice(value, `${path}.models[${JSON.stringify(key)}]`);
	const table: PriceTable = {source, version: raw['version'], models};
	if (typeof raw['origin'] === 'string') table.origin = raw['origin'];
	return table;
}

function readModelPrice(value: unknown, path: string): ModelPrice {
	if (!isObject(value)) throw new FieldError(path, 'expected an object');
	const price: ModelPrice = {input: usd(value['input'], `${path}.input`), output: usd(value['output'], `${path}.output`)};
	if (value['cacheRead'] !== undefined) price.cacheRead = usd(value['cacheRead'], `${path}.cacheRead`);
	if (value['cacheWrite'] !== undefined) price.cacheWrite = usd(value['cacheWrite'], `${path}.cacheWrite`);
	if (typeof value['note'] === 'string') price.note = value['note'];
	if (value['tiers'] !== undefined) price.tiers = readTiers(value['tiers'], `${path}.tiers`);
	if (value['serviceTiers'] !== undefined) {
		const st = value['serviceTiers'];
		if (!isObject(st)) throw new FieldError(`${path}.serviceTiers`, 'expected an object');
		for (const key of Object.keys(st)) {
			if (!(SERVICE_TIERS as readonly string[]).includes(key)) throw new FieldError(`${path}.serviceTiers.${key}`, `unknown service tier; expected ${SERVICE_TIERS.join(' or ')}`);
		}
		for (const name of SERVICE_TIERS) {
			if (st[name] !== undefined) (price.serviceTiers ??= {})[name] = readServiceTier(st[name], `${path}.serviceTiers.${name}`);
		}
	}
	return price;
}

function readServiceTier(value: unknown, path: string): ServiceTierPrice {
	if (!isObject(value)) throw new FieldError(path, 'expected an object');
	const tier: ServiceTierPrice = {};
	for (const field of ['input', 'output', 'cacheRead', 'cacheWrite'] as const) {
		if (value[field] !== undefined) tier[field] = usd(value[field], `${path}.${field}`);
	}
	if (value['tiers'] !== undefined) tier.tiers = readTiers(value['tiers'], `${path}.tiers`);
	return tier;
}

function readTiers(value: unknown, path: string): PriceTier[] {
	if (!Array.isArray(value)) throw new FieldError(path, 'expected an array');
	return value.map((t, i) => readTier(t, `${path}[${i}]`));
}

function readTier(value: unknown, path: string): PriceTier {
	if (!isObject(value) || typeof value['above'] !== 'number' || !(value['above'] >= 0)) throw new FieldError(`${path}.above`, 'expected a token count');
	const tier: PriceTier = {above: value['above']};
	for (const field of ['input', 'output', 'cacheRead', 'cacheWrite'] as const) {
		if (value[field] !== undefined) tier[field] = usd(value[field], `${path}.${field}`);
	}
	return tier;
}
