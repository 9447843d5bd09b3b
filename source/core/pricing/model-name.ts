/**
 * Model-name forms used for matching. CPA reports the upstream id (`claude-sonnet-4-5-20250929`,
 * `models/gemini-2.5-pro`, `us.anthropic.claude-…-v1:0`), price lists use their own spellings
 * (`claude-sonnet-4.5`, `claude-4.5-haiku`, `gemini-3-1-pro-preview`), so both sides are
 * brought to the same forms:
 *
 * - normalized: lower case, without provider prefixes, region and vendor prefixes, Bedrock
 *   `-v1:0` and Vertex `@…` suffixes, `:tags`, dates and `-latest`/`-preview`/`-exp`;
 * - canonical: normalized, with dots between digits as dashes and Claude's tier first
 *   (`claude-3-5-sonnet` → `claude-sonnet-3-5`), so spelling variants coincide.
 */
const REGION = /^(?:us|eu|apac|global|jp|au|ca|us-gov)\./;
const VENDOR = /^(?:anthropic|amazon|meta|mistral|cohere|ai21|deepseek|qwen|openai|moonshot|moonshotai|minimax|writer|google|xai)\./;
const TRAILING_VERSION = /-(?:\d{4}-\d{2}-\d{2}|\d{2}-\d{4}|\d{2}-\d{2}|\d{3,4}|latest|preview|exp)$/;

export function normalizeModelId(id: string): string {
	let s = id.trim().toLowerCase();
	const slash = s.lastIndexOf('/');
	if (slash >= 0) s = s.slice(slash + 1);
	s = s.replace(REGION, '').replace(VENDOR, '');
	s = s.replace(/-v\d+(?::\d+)?$/, '');
	s = s.replace(/@.*$/, '');
	s = s.replace(/:[\w.-]*$/, '');
	s = s.replace(/-\d{8}(?=-|$)/g, '');
	for (let next = s.replace(TRAILING_VERSION, ''); next !== s && next.length > 0; next = s.replace(TRAILING_VERSION, '')) s = next;
	return s;
}

export function canonicalModelId(normalized: string): string {
	return normalized.replace(/(\d)\.(?=\d)/g, '$1-').replace(/^claude-(\d+(?:-\d+)?)-(opus|sonnet|haiku)(?=-|$)/, 'claude-$2-$1');
}

/**
 * Qualifiers CPA appends for reasoning effort or thinking mode (`gpt-5-high`,
 * `claude-opus-4-5-thinking-low`, `gemini-3.5-flash-extra-low`, `gpt-5.1-none`): the model and
 * its per-token price are the same without them.
 */
const EFFORT = new Set(['thinking', 'nothinking', 'none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'extra', 'customtools']);

/**
 * Shorter forms of a canonical id to try, longest first, for the last matching step. Only
 * effort and thinking qualifiers are dropped: a size or variant (`-mini`, `-lite`, `-spark`,
 * `-image`) is another model at another price, and a version (`claude-opus-4-7`, `gpt-5-5`)
 * is never shortened to an older one, so those fall to `_default` and are flagged estimated
 * instead of being priced as something they are not.
 */
export function prefixCandidates(canonical: string): string[] {
	const parts = canonical.split('-');
	const out: string[] = [];
	for (let n = parts.length - 1; n >= 1 && EFFORT.has(parts[n]!); n--) out.push(parts.slice(0, n).join('-'));
	return out;
}
