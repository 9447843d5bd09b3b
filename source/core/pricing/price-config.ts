export type PriceConfig = {
	/** `PRICES_FILE`: the user's overrides file (JSON), or null. */
	file: string | null;
	/** `PRICES_AUTO_UPDATE`: long-running modes re-fetch prices in the background, at most daily. */
	autoUpdate: boolean;
	/** `PRICES_LITELLM_URL`: LiteLLM's `model_prices_and_context_window.json` (a mirror, behind a firewall). */
	litellmUrl: string;
	/** `PRICES_LLM_PRICES_URL`: llm-prices.com's `current-v1.json`. */
	llmPricesUrl: string;
};

export const PRICE_DEFAULTS = {
	litellmUrl: 'https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json',
	llmPricesUrl: 'https://www.llm-prices.com/current-v1.json',
};

type Env = Readonly<Record<string, string | undefined>>;

/** Reads the pricing variables; a bad value throws with the variable's name and the fix. */
export function resolvePriceConfig(env: Env, fail: (field: string, problem: string) => Error): PriceConfig {
	const text = (name: string): string | undefined => {
		const v = env[name]?.trim();
		return v === '' ? undefined : v;
	};
	const url = (name: string, fallback: string): string => {
		const value = text(name) ?? fallback;
		let parsed: URL | undefined;
		try {
			parsed = new URL(value);
		} catch {
			parsed = undefined;
		}
		if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) throw fail(name, `must be an http(s) URL (got ${JSON.stringify(value)})`);
		return parsed.href;
	};
	const auto = (text('PRICES_AUTO_UPDATE') ?? 'true').toLowerCase();
	if (!['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'].includes(auto)) {
		throw fail('PRICES_AUTO_UPDATE', `must be true or false (got ${JSON.stringify(env['PRICES_AUTO_UPDATE'])})`);
	}
	return {
		file: text('PRICES_FILE') ?? null,
		autoUpdate: ['true', '1', 'yes', 'on'].includes(auto),
		litellmUrl: url('PRICES_LITELLM_URL', PRICE_DEFAULTS.litellmUrl),
		llmPricesUrl: url('PRICES_LLM_PRICES_URL', PRICE_DEFAULTS.llmPricesUrl),
	};
}
