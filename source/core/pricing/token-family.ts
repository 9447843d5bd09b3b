/**
 * How CPA filled a record's token fields, which decides what overlaps what (reference §2.5):
 * - `openai` (OpenAI, Codex, OpenAI-compatible, xAI, Kimi, Qwen, DeepSeek, iFlow …): cached
 *   and cache-write tokens are inside `input_tokens`, reasoning is inside `output_tokens`;
 * - `claude`: `input_tokens` excludes cache; cache read and cache creation are separate
 *   (v7.0.3+), and in v6 `cached_tokens` is the cache read, or the cache creation when there
 *   was no read; reasoning (thinking) is inside `output_tokens`;
 * - `gemini` (Gemini, Gemini CLI, AI Studio, Vertex, Antigravity): cached tokens are inside
 *   `input_tokens`, reasoning (thoughts) is beside `output_tokens` and billed at the output rate.
 *
 * The family follows the provider that served the request, the way CPA itself classifies it
 * (`sdk/cliproxy/usage/accounting.go`), not the model name: Antigravity serves Claude models
 * with Gemini's usage format. Rows without a provider (CPA v6) are inferred: see `inferFamily`.
 */
export type TokenFamily = 'openai' | 'claude' | 'gemini';

const GEMINI = ['gemini', 'aistudio', 'antigravity', 'vertex', 'interaction'];

export function familyOfProvider(provider: string, executorType: string | null): TokenFamily | null {
	const p = provider.trim().toLowerCase();
	const e = (executorType ?? '').trim().toLowerCase();
	if (p === '' && e === '') return null;
	if (e === 'openaicompatexecutor' || p === 'openai-compatibility' || p.startsWith('openai-compatible-')) return 'openai';
	const both = `${p} ${e}`;
	if (both.includes('claude') || both.includes('anthropic')) return 'claude';
	if (GEMINI.some(m => both.includes(m))) return 'gemini';
	// OpenAI, Codex, xAI, Kimi, Qwen, DeepSeek, OpenRouter, iFlow and other OpenAI-shaped APIs.
	return 'openai';
}

export function familyOfModel(model: string): TokenFamily {
	return familyNamedByModel(model) ?? 'openai';
}

/** `claude` or `gemini` when the model name says so; null for every other name. */
export function familyNamedByModel(model: string): TokenFamily | null {
	const m = model.toLowerCase();
	if (m.includes('claude')) return 'claude';
	if (m.includes('gemini')) return 'gemini';
	return null;
}

/**
 * The family of the API a client called, as CPA v6 labels it (`METHOD` + the route:
 * `POST /v1beta/models/*action` and `/v1internal:method` Gemini's, `POST /v1/messages` Claude's,
 * `/v1/chat/completions`, `/v1/completions`, `/v1/responses` and `/backend-api/codex/responses`
 * OpenAI's); null for any other path or none.
 */
export function familyOfEndpoint(endpoint: string | null): TokenFamily | null {
	if (endpoint === null) return null;
	const path = endpoint.replace(/^[A-Z]+\s+/, '').split('?')[0]!;
	if (/^\/v1beta\/models(?:\/|$)/.test(path) || path.startsWith('/v1internal:')) return 'gemini';
	if (/^\/v1\/messages(?:\/|$)/.test(path)) return 'claude';
	if (/^(?:\/v1\/(?:chat\/completions|completions|responses)|\/backend-api\/codex\/responses)(?:\/|$)/.test(path)) return 'openai';
	return null;
}

/**
 * What a row that names no provider (CPA v6 details and imports) tells of it, best first:
 * the provider of its account (`auth_index`, from `/auth-files`), then a model name that says
 * Claude or Gemini, then the API path, then OpenAI's semantics.
 *
 * The model name comes before the path because CPA fills the token fields from the upstream's
 * answer, before translating it for the client (`internal/runtime/executor/*_executor.go`):
 * a Gemini model asked for through `/v1/chat/completions` still reports Gemini's counters.
 * The path decides only for names that say neither (a GLM model behind a Claude-compatible
 * key, asked for through `/v1/messages`).
 */
export function inferFamily(accountProvider: string | null, model: string, endpoint: string | null): TokenFamily {
	return (accountProvider ? familyOfProvider(accountProvider, null) : null) ?? familyNamedByModel(model) ?? familyOfEndpoint(endpoint) ?? 'openai';
}

/** A record's family: its provider's, else (CPA v6 rows carry none) its model name's, as pricing decides it. */
export function recordFamily(provider: string | null, executorType: string | null, model: string): TokenFamily {
	return (provider ? familyOfProvider(provider, executorType) : null) ?? familyOfModel(model);
}

/** A record's family with nothing known of its account: its provider's, else `inferFamily` without one. */
export function defaultFamily(r: {provider: string | null; executorType: string | null; model: string; endpoint: string | null}): TokenFamily {
	return r.provider ? recordFamily(r.provider, r.executorType, r.model) : inferFamily(null, r.model, r.endpoint);
}
