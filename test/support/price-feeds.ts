import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';

/**
 * The two public price feeds on 127.0.0.1: `/litellm.json` (LiteLLM's
 * model_prices_and_context_window.json, per-token USD) and `/current-v1.json`
 * (llm-prices.com, per-million USD). Bodies, status codes and a hold (to keep a fetch in
 * flight) are set per test; every request is counted.
 */
export class PriceFeeds {
	litellm: unknown = litellmPayload();
	llmPrices: unknown = llmPricesPayload();
	status = 200;
	hits: string[] = [];
	private held: Array<() => void> | null = null;
	private server: Server | undefined;
	port = 0;

	get urls(): {PRICES_LITELLM_URL: string; PRICES_LLM_PRICES_URL: string} {
		return {PRICES_LITELLM_URL: `http://127.0.0.1:${this.port}/litellm.json`, PRICES_LLM_PRICES_URL: `http://127.0.0.1:${this.port}/current-v1.json`};
	}

	/** Answers wait until `release()`. */
	hold(): void {
		this.held ??= [];
	}

	release(): void {
		const waiting = this.held ?? [];
		this.held = null;
		for (const go of waiting) go();
	}

	async start(): Promise<this> {
		this.server = createServer((req, res) => {
			this.hits.push(req.url ?? '');
			const answer = () => {
				const body = req.url === '/litellm.json' ? this.litellm : req.url === '/current-v1.json' ? this.llmPrices : undefined;
				if (body === undefined) {
					res.writeHead(404).end('not found');
					return;
				}
				res.writeHead(this.status, {'content-type': 'application/json'}).end(typeof body === 'string' ? body : JSON.stringify(body));
			};
			if (this.held) this.held.push(answer);
			else answer();
		});
		await new Promise<void>(resolve => this.server!.listen(0, '127.0.0.1', resolve));
		this.port = (this.server.address() as AddressInfo).port;
		return this;
	}

	async close(): Promise<void> {
		this.release();
		this.server?.closeAllConnections();
		await new Promise<void>(resolve => (this.server ? this.server.close(() => resolve()) : resolve()));
	}
}

/** A LiteLLM payload in its real shape; `sonnetInput` moves Claude Sonnet 4.5's price. */
export function litellmPayload(sonnetInput = 2.5e-6): Record<string, unknown> {
	const models: Record<string, unknown> = {
		sample_spec: {input_cost_per_token: 0, litellm_provider: 'one of https://docs.litellm.ai/docs/providers'},
		'claude-sonnet-4-5': {input_cost_per_token: sonnetInput, output_cost_per_token: 1.5e-5, cache_read_input_token_cost: 3e-7, cache_creation_input_token_cost: 3.75e-6, litellm_provider: 'anthropic', mode: 'chat'},
		'claude-sonnet-4-5-20250929': {input_cost_per_token: sonnetInput, output_cost_per_token: 1.5e-5, cache_read_input_token_cost: 3e-7, cache_creation_input_token_cost: 3.75e-6, litellm_provider: 'anthropic', mode: 'chat'},
		'gpt-9': {input_cost_per_token: 1e-5, output_cost_per_token: 4e-5, litellm_provider: 'openai', mode: 'chat'},
	};
	for (let i = 0; i < 12; i++) models[`gpt-filler-${i}`] = {input_cost_per_token: 1e-6, output_cost_per_token: 2e-6, litellm_provider: 'openai', mode: 'chat'};
	return models;
}

export function llmPricesPayload(updatedAt = '2026-11-21'): Record<string, unknown> {
	const prices = [{id: 'glm-9', vendor: 'zai', name: 'GLM 9', input: 1, output: 3, input_cached: 0.2}];
	for (let i = 0; i < 12; i++) prices.push({id: `filler-${i}`, vendor: 'x', name: 'f', input: 1, output: 1, input_cached: 0.1});
	return {updated_at: updatedAt, prices};
}
