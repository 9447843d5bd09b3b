import {FieldError} from '../core/cpa/fields.js';
import {fromLiteLLM} from '../core/pricing/litellm.js';
import {fromLlmPrices} from '../core/pricing/llm-prices.js';
import type {PriceConfig} from '../core/pricing/price-config.js';
import type {PriceTable} from '../core/pricing/price-table.js';
import type {FetchedSource} from '../store/prices.js';

export type FetchOutcome = {source: FetchedSource; ok: true; table: PriceTable} | {source: FetchedSource; ok: false; error: string};

export type FetchOptions = {
	timeoutMs?: number;
	signal?: AbortSignal;
	fetch?: typeof fetch;
};

/** A table this small is a broken mirror or an error page, not a price list. */
const MIN_MODELS = 10;

/**
 * Fetches one source and converts it. LiteLLM's file carries no date, so its version is the
 * UTC date of the fetch; llm-prices.com stamps its own `updated_at`. Never throws: a failure
 * is an outcome with a one-line reason, and the caller keeps the prices it had.
 */
export async function fetchPriceTable(source: FetchedSource, config: PriceConfig, now: number, options: FetchOptions = {}): Promise<FetchOutcome> {
	const url = source === 'litellm' ? config.litellmUrl : config.llmPricesUrl;
	// Loaded here, not at start-up: ky's import costs the dashboard's first frame about 60 ms.
	const {default: ky} = await import('ky');
	try {
		const text = await ky
			.get(url, {
				timeout: options.timeoutMs ?? 30_000,
				retry: 0,
				...(options.signal ? {signal: options.signal} : {}),
				...(options.fetch ? {fetch: options.fetch} : {}),
			})
			.text();
		const raw = JSON.parse(text) as unknown;
		const table = source === 'litellm' ? fromLiteLLM(raw, new Date(now).toISOString().slice(0, 10), url) : fromLlmPrices(raw, undefined, url);
		const count = Object.keys(table.models).length;
		if (count < MIN_MODELS) return {source, ok: false, error: `${url} listed only ${count} usable models; kept the previous prices`};
		return {source, ok: true, table};
	} catch (error) {
		return {source, ok: false, error: describe(error, url)};
	}
}

/** ky's errors by name (ky itself loads lazily), as the CPA client tells them apart. */
function describe(error: unknown, url: string): string {
	const e = error as {name?: string; message?: string; response?: {status?: number}; cause?: {code?: string}};
	if (e.name === 'HTTPError') return `${url} answered HTTP ${e.response?.status}`;
	if (e.name === 'TimeoutError') return `${url} did not answer in time`;
	if (error instanceof SyntaxError) return `${url} did not send JSON`;
	if (error instanceof FieldError) return `${url}: ${error.message}`;
	if (e.name === 'AbortError') return `fetching ${url} was cancelled`;
	return `cannot fetch ${url}: ${e.cause?.code ?? e.message ?? String(error)}`;
}
