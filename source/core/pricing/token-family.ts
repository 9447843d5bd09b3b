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
 * with Gemini's usage format. Rows without a provider (CPA v6) fall back to the model name.
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
	const m = model.toLowerCase();
	if (m.includes('claude')) return 'claude';
	if (m.includes('gemini')) return 'gemini';
	return 'openai';
}

/** A record's family: its provider's, else (CPA v6 rows carry none) its model name's, as pricing decides it. */
export function recordFamily(provider: string | null, executorType: string | null, model: string): TokenFamily {
	return (provider ? familyOfProvider(provider, executorType) : null) ?? familyOfModel(model);
}
