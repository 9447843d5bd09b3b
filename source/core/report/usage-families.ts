import type {Family} from './prometheus.js';
import type {Folded, MetricUsageRow} from './metric-models.js';

/** Sums per (instance, provider, model, account), all time, as the usage families expose them. */
export type UsageMetricRow = MetricUsageRow & {
	requests: number;
	failed: number;
	rate_limited: number;
	cancelled: number;
	input: number;
	cache_read: number;
	cache_write: number;
	output: number;
	reasoning: number;
	cost: number;
	estimated: number;
};

/** Our vocabulary (docs/reports.md): input is the uncached part, reasoning is of the output. */
const TOKEN_TYPES = ['input', 'cache_read', 'cache_write', 'output', 'reasoning'] as const;

/**
 * OpenTelemetry's well-known `gen_ai.provider.name` values for CPA's providers; any other
 * provider is passed through as CPA names it.
 */
const GEN_AI_PROVIDERS: Readonly<Record<string, string>> = Object.freeze({
	__proto__: null,
	claude: 'anthropic',
	anthropic: 'anthropic',
	codex: 'openai',
	openai: 'openai',
	gemini: 'gcp.gemini',
	'gemini-cli': 'gcp.gemini',
	aistudio: 'gcp.gemini',
	vertex: 'gcp.vertex_ai',
	antigravity: 'gcp.gen_ai',
	deepseek: 'deepseek',
	mistral: 'mistral_ai',
	groq: 'groq',
	xai: 'x_ai',
	grok: 'x_ai',
} as unknown as Record<string, string>);

export function genAiProvider(provider: string): string {
	return Object.hasOwn(GEN_AI_PROVIDERS, provider) ? GEN_AI_PROVIDERS[provider]! : provider;
}

/** The request, token, cost and estimate counters, plus the OpenTelemetry GenAI token counter, from bounded rows. */
export function usageFamilies(rows: readonly UsageMetricRow[], folded: Folded): Family[] {
	const who = (r: UsageMetricRow) => ({instance: r.instance, provider: r.provider, model: r.model, account: r.account});
	return [
		{
			name: 'cliproxy_usage_requests_total',
			help: 'Requests collected from CLIProxyAPI, by instance, provider, model, account and outcome (failed: the upstream failed; rate_limited: 429; cancelled: 499 or 504).',
			type: 'counter',
			samples: rows.flatMap(r => [
				{labels: {...who(r), outcome: 'success'}, value: r.requests - r.failed},
				{labels: {...who(r), outcome: 'failed'}, value: r.failed - r.rate_limited - r.cancelled},
				{labels: {...who(r), outcome: 'rate_limited'}, value: r.rate_limited},
				{labels: {...who(r), outcome: 'cancelled'}, value: r.cancelled},
			]),
		},
		{
			name: 'cliproxy_usage_tokens_total',
			help: 'Tokens by instance, provider, model, account and type: input (uncached), cache_read, cache_write, output (reasoning included), reasoning (of which); docs/reports.md.',
			type: 'counter',
			samples: rows.flatMap(r => TOKEN_TYPES.map(type => ({labels: {...who(r), type}, value: r[type]}))),
		},
		{
			name: 'cliproxy_usage_cost_usd_total',
			help: 'Cost in US dollars, priced at collection time, by instance, provider, model and account.',
			type: 'counter',
			samples: rows.map(r => ({labels: who(r), value: Math.round(r.cost * 1e6) / 1e6})),
		},
		{
			name: 'cliproxy_usage_estimated_requests_total',
			help: 'Requests whose cost is an estimate (docs/pricing.md), by instance, provider, model and account.',
			type: 'counter',
			samples: rows.map(r => ({labels: who(r), value: r.estimated})),
		},
		{
			name: 'gen_ai_client_token_usage_total',
			help: "Tokens as OpenTelemetry's GenAI conventions count them (gen_ai.client.token.usage), by gen_ai.token.type: input includes cache_read and cache_write, output includes reasoning; cache_read, cache_write and reasoning are subsets.",
			type: 'counter',
			samples: genAiSamples(rows),
		},
		{
			name: 'cliproxy_usage_metric_labels_folded',
			help: 'Distinct models (provider and model) and accounts summed into "(other)" on the usage families by the cardinality caps (docs/metrics.md).',
			type: 'gauge',
			samples: [
				{labels: {label: 'model'}, value: folded.models},
				{labels: {label: 'account'}, value: folded.accounts},
			],
		},
	];
}

/** Summed over accounts: the GenAI family has no account attribute. */
function genAiSamples(rows: readonly UsageMetricRow[]) {
	const sums = new Map<string, {labels: Record<string, string>; input: number; output: number; cache_read: number; cache_write: number; reasoning: number}>();
	for (const r of rows) {
		const provider = genAiProvider(r.provider);
		const key = [r.instance, provider, r.model].join('\u001F');
		let s = sums.get(key);
		if (!s) sums.set(key, (s = {labels: {instance: r.instance, gen_ai_provider_name: provider, gen_ai_request_model: r.model}, input: 0, output: 0, cache_read: 0, cache_write: 0, reasoning: 0}));
		s.input += r.input + r.cache_read + r.cache_write;
		s.output += r.output;
		s.cache_read += r.cache_read;
		s.cache_write += r.cache_write;
		s.reasoning += r.reasoning;
	}
	return [...sums.values()].flatMap(s => (['input', 'output', 'cache_read', 'cache_write', 'reasoning'] as const).map(type => ({labels: {...s.labels, gen_ai_token_type: type}, value: s[type]})));
}
