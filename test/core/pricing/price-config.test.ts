import {describe, expect, it} from 'vitest';
import {ConfigError, resolveConfig} from '../../../source/core/config.js';

describe('price settings', () => {
	it('default to the public feeds, automatic daily updates and no overrides file', () => {
		expect(resolveConfig({}).prices).toEqual({
			file: null,
			autoUpdate: true,
			litellmUrl: 'https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json',
			llmPricesUrl: 'https://www.llm-prices.com/current-v1.json',
		});
	});

	it('read PRICES_* from the environment', () => {
		const prices = resolveConfig({PRICES_FILE: ' /etc/cu/prices.json ', PRICES_AUTO_UPDATE: 'off', PRICES_LITELLM_URL: 'http://mirror.lan/litellm.json', PRICES_LLM_PRICES_URL: 'https://mirror.lan/llm.json'}).prices;
		expect(prices).toEqual({file: '/etc/cu/prices.json', autoUpdate: false, litellmUrl: 'http://mirror.lan/litellm.json', llmPricesUrl: 'https://mirror.lan/llm.json'});
	});

	it.each([
		[{PRICES_AUTO_UPDATE: 'sometimes'}, 'PRICES_AUTO_UPDATE must be true or false (got "sometimes")'],
		[{PRICES_LITELLM_URL: 'ftp://mirror/x.json'}, 'PRICES_LITELLM_URL must be an http(s) URL (got "ftp://mirror/x.json")'],
		[{PRICES_LLM_PRICES_URL: 'mirror.lan'}, 'PRICES_LLM_PRICES_URL must be an http(s) URL (got "mirror.lan")'],
	])('refuse %j with the variable and the fix', (env, message) => {
		expect(() => resolveConfig(env)).toThrow(ConfigError);
		expect(() => resolveConfig(env)).toThrow(message);
	});
});
