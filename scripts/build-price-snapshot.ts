/**
 * Builds the bundled offline price snapshot (source/pricing/price-snapshot.json) from
 * LiteLLM's model_prices_and_context_window.json and llm-prices.com's current-v1.json, each
 * a local path or a URL:
 *
 *   npm run prices:snapshot -- \
 *     --litellm https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json \
 *     --llm-prices https://www.llm-prices.com/current-v1.json
 *
 * Options: --litellm-date YYYY-MM-DD (the data's date; default: today for a URL, required for
 * a file), --litellm-origin TEXT / --llm-prices-origin TEXT (provenance recorded in the
 * snapshot; default: the path or URL and its sha256), --out FILE.
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
import type {PriceTable} from '../source/core/pricing/price-table.js';
import {readSnapshot, SNAPSHOT_FORMAT, type PriceSnapshot} from '../source/core/pricing/snapshot.js';

const {values} = parseArgs({
	options: {
		litellm: {type: 'string'},
		'llm-prices': {type: 'string'},
		'litellm-date': {type: 'string'},
		'litellm-origin': {type: 'string'},
		'llm-prices-origin': {type: 'string'},
		out: {type: 'string', default: 'source/pricing/price-snapshot.json'},
	},
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

if (!values.litellm || !values['llm-prices']) fail('give both --litellm PATH|URL and --llm-prices PATH|URL');
const isUrl = /^https?:\/\//.test(values.litellm);
const litellmDate = values['litellm-date'] ?? (isUrl ? new Date().toISOString().slice(0, 10) : undefined);
if (!litellmDate || !/^\d{4}-\d{2}-\d{2}$/.test(litellmDate)) fail('--litellm-date YYYY-MM-DD is required for a local LiteLLM file (the date of the data)');

const litellm = await load(values.litellm);
const llm = await load(values['llm-prices']);
const llmRaw = JSON.parse(llm.text) as unknown;
const llmDate = llmPricesDate(llmRaw) ?? fail('llm-prices data has no updated_at');

const tables: PriceTable[] = [
	fromLiteLLM(JSON.parse(litellm.text), `bundled-${litellmDate}`, values['litellm-origin'] ?? `${values.litellm} (sha256 ${litellm.sha256})`),
	fromLlmPrices(llmRaw, `bundled-${llmDate}`, values['llm-prices-origin'] ?? `${values['llm-prices']} (sha256 ${llm.sha256})`),
];
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
