/**
 * How a config selects models: case-insensitive; a pattern with `*` (any run of characters) or
 * `?` (one character) is a glob over the whole model name, anything else a substring (the
 * original's `ILIKE '%pattern%'`). `claude` matches every Claude model, `claude-opus-*` the Opus
 * line, `gpt-5?codex` both `gpt-5-codex` and `gpt-5.codex`.
 */
export type ModelMatcher = {pattern: string; kind: 'glob' | 'substring'; test(model: string): boolean};

export function isGlob(pattern: string): boolean {
	return /[*?]/.test(pattern);
}

export function modelMatcher(pattern: string): ModelMatcher {
	const lower = pattern.toLowerCase();
	if (!isGlob(pattern)) return {pattern, kind: 'substring', test: model => model.toLowerCase().includes(lower)};
	const source = [...lower].map(c => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
	const re = new RegExp(`^${source}$`, 'su');
	return {pattern, kind: 'glob', test: model => re.test(model.toLowerCase())};
}
