/**
 * Builds the bundled offline price snapshot (source/pricing/price-snapshot.json) from
 * LiteLLM's model_prices_and_context_window.json and llm-prices.com's current-v1.json, each
 * a local path or a URL:
 *
 *   npm run prices:snapshot -- \
 *     --litellm https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json \
 *     --llm-prices https://www.llm-prices.com/current-v1.json
 *
 * `--litellm` may be given more than once, newest copy first: each becomes a table of its own,
 * and an older copy keeps only the models no newer one has (a newer copy that lists fewer
 * models, like a filtered mirror, then prices what it lists, the older one the rest). The
 * options after a `--litellm` describe that copy:
 *
 *   --litellm-date YYYY-MM-DD       the data's date (default: today for a URL; required for a file)
 *   --litellm-origin TEXT           provenance recorded in the snapshot (default: the path or URL and its sha256)
 *   --litellm-mirror-config FILE    a Wei-Shaw/model-price-repo config.json: the entries that mirror
 *                                   writes itself (its `aliases` and `custom_models`) are not LiteLLM's
 *                                   and are left out
 *
 * `--llm-prices bundled` keeps the llm-prices.com table of the snapshot already at --out
 * (when no newer copy can be had). Other options: --llm-prices-origin TEXT, --out FILE.
 *
 * Only the providers CPA serves are kept (see LITELLM_PROVIDERS), in our compact shape (USD
 * per million tokens), so the snapshot stays small.
 */
import {createHash} from 'node:crypto';
import {readFileSync, writeFileSync} from 'node:fs';
import {parseArgs} from 'node:util';
import ky from 'ky';
import {fromLiteLLM} from '../source/core/pricing/litellm.js';
import {fromLlmPrices, llmPricesDate} from '../source/core/pricing/llm-prices.js';
import {canonicalModelId, normalizeModelId} from '../source/core/pricing/model-name.js';
import type {PriceTable} from '../source/core/pricing/price-table.js';
import {readSnapshot, SNAPSHOT_FORMAT, type PriceSnapshot} from '../source/core/pricing/snapshot.js';

type LiteLLMCopy = {location: string; date?: string; origin?: string; mirrorConfig?: string};

const {values, tokens} = parseArgs({
	options: {
		litellm: {type: 'string', multiple: true},
		'litellm-date': {type: 'string', multiple: true},
		'litellm-origin': {type: 'string', multiple: true},
		'litellm-mirror-config': {type: 'string', multiple: true},
		'llm-prices': {type: 'string'},
		'llm-prices-origin': {type: 'string'},
		out: {type: 'string', default: 'source/pricing/price-snapshot.json'},
	},
	tokens: true,
});

async function load(location: string): Promise<{text: string; sha256: string}> {
	try {
		const text = /^https?:\/\//.test(location) ? await ky.get(location, {timeout: 60_000, retry: 1}).text() : readFileSync(location, 'utf8');
		return {text, sha256: createHash('sha256').update(text).digest('hex')};
	} catch (error) {
		return fail(`cannot read ${location}: ${(error as Error).message}`);
	}
}

function fail(message: string): never {
	process.stderr.write(`build-price-snapshot: ${message}\n`);
	process.exit(2);
}

/** Each `--litellm` with the options that follow it (options before the first one describe the first). */
function liteLLMCopies(): LiteLLMCopy[] {
	const copies: LiteLLMCopy[] = [];
	const pending: Omit<LiteLLMCopy, 'location'> = {};
	for (const t of tokens) {
		if (t.kind !== 'option' || t.value === undefined) continue;
		const current = copies.at(-1) ?? pending;
		if (t.name === 'litellm') copies.push({...(copies.length === 0 ? pending : {}), location: t.value});
		else if (t.name === 'litellm-date') set(current, 'date', t.value);
		else if (t.name === 'litellm-origin') set(current, 'origin', t.value);
		else if (t.name === 'litellm-mirror-config') set(current, 'mirrorConfig', t.value);
	}
	return copies;
}

function set(copy: Omit<LiteLLMCopy, 'location'>, field: 'date' | 'origin' | 'mirrorConfig', value: string): void {
	if (copy[field] !== undefined) fail(`--litellm-${field === 'mirrorConfig' ? 'mirror-config' : field} given twice for one --litellm`);
	copy[field] = value;
}

/** The keys a model-price-repo config adds on its own: aliases of other models and hand-written prices. */
function mirrorOwnKeys(path: string): Set<string> {
	let raw: unknown;
	try {
		raw = JSON.parse(readFileSync(path, 'utf8'));
	} catch (error) {
		return fail(`cannot read --litellm-mirror-config ${path}: ${(error as Error).message}`);
	}
	const config = raw as {aliases?: Record<string, unknown>; custom_models?: Record<string, unknown>};
	if (typeof config !== 'object' || config === null || (config.aliases === undefined && config.custom_models === undefined)) {
		fail(`--litellm-mirror-config ${path} has neither "aliases" nor "custom_models"`);
	}
	return new Set([...Object.keys(config.aliases ?? {}), ...Object.keys(config.custom_models ?? {})]);
}

async function liteLLMTable(copy: LiteLLMCopy): Promise<PriceTable> {
	const isUrl = /^https?:\/\//.test(copy.location);
	const date = copy.date ?? (isUrl ? new Date().toISOString().slice(0, 10) : undefined);
	if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date)) fail(`--litellm-date YYYY-MM-DD is required for the local LiteLLM file ${copy.location} (the date of the data)`);
	const {text, sha256} = await load(copy.location);
	const raw = JSON.parse(text) as Record<string, unknown>;
	if (copy.mirrorConfig) for (const key of mirrorOwnKeys(copy.mirrorConfig)) delete raw[key];
	return fromLiteLLM(raw, `bundled-${date}`, copy.origin ?? `${copy.location} (sha256 ${sha256})`);
}

async function llmPricesTable(): Promise<PriceTable> {
	const location = values['llm-prices']!;
	if (location === 'bundled') {
		const current = readSnapshot(JSON.parse(readFileSync(values.out!, 'utf8')));
		return current.tables.find(t => t.source === 'llm-prices') ?? fail(`${values.out} has no llm-prices table to keep`);
	}
	const {text, sha256} = await load(location);
	const raw = JSON.parse(text) as unknown;
	const date = llmPricesDate(raw) ?? fail('llm-prices data has no updated_at');
	return fromLlmPrices(raw, `bundled-${date}`, values['llm-prices-origin'] ?? `${location} (sha256 ${sha256})`);
}

/** An older copy keeps only the models whose identity no newer copy prices (it could never win). */
function withoutNewer(tables: PriceTable[]): PriceTable[] {
	const seen = new Set<string>();
	return tables.map(t => {
		const ids = Object.keys(t.models).map(k => [k, canonicalModelId(normalizeModelId(k))] as const);
		const kept = Object.fromEntries(ids.filter(([, id]) => !seen.has(id)).map(([k]) => [k, t.models[k]!]));
		for (const [, id] of ids) seen.add(id);
		return {...t, models: kept};
	});
}

const copies = liteLLMCopies();
if (copies.length === 0 || !values['llm-prices']) fail('give --litellm PATH|URL (one or more, newest first) and --llm-prices PATH|URL|bundled');
const litellm = withoutNewer(await Promise.all(copies.map(liteLLMTable)));
const tables: PriceTable[] = [...litellm, await llmPricesTable()];
const snapshot: PriceSnapshot = {format: SNAPSHOT_FORMAT, generated: new Date().toISOString().slice(0, 10), tables};
readSnapshot(JSON.parse(JSON.stringify(snapshot))); // what we write must read back
const text = format(snapshot);
writeFileSync(values.out!, text);
for (const t of tables) process.stdout.write(`${t.source} ${t.version}: ${Object.keys(t.models).length} models\n`);
process.stdout.write(`wrote ${values.out} (${(text.length / 1024).toFixed(0)} KiB)\n`);

/** One model a line, keys sorted: small diffs when the data moves. */
function format(snap: PriceSnapshot): string {
	const q = JSON.stringify;
	const tables = snap.tables.map(t => {
		const models = Object.keys(t.models)
			.sort()
			.map(k => `\t\t\t${q(k)}: ${q(t.models[k])}`)
			.join(',\n');
		return `\t\t{\n\t\t\t"source": ${q(t.source)},\n\t\t\t"version": ${q(t.version)},\n\t\t\t"origin": ${q(t.origin ?? '')},\n\t\t\t"models": {\n${models.replace(/^\t\t\t/gm, '\t\t\t\t')}\n\t\t\t}\n\t\t}`;
	});
	return `{\n\t"format": ${q(snap.format)},\n\t"generated": ${q(snap.generated)},\n\t"tables": [\n${tables.join(',\n')}\n\t]\n}\n`;
}
