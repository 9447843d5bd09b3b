import {describe, expect, it} from 'vitest';
import type {TokenBreakdown, TokenCounts} from '../../../source/core/cpa/usage-record.js';
import {billedTokens} from '../../../source/core/pricing/request-cost.js';
import {recordFamily} from '../../../source/core/pricing/token-family.js';
import {vocabulary, type Vocabulary} from '../../../source/core/report/vocabulary.js';

/**
 * One request per provider as CPA v7.2.140 records it: the raw counters as its executor fills
 * them (reference §2.5) and the token_breakdown CPA computes beside them (accounting.go). The
 * vocabulary read from the raw counters alone (v6, v7 before 7.2.97) must say what the
 * breakdown says.
 */
type Case = {name: string; provider: string | null; executor: string | null; model: string; raw: TokenCounts; breakdown: TokenBreakdown; want: Vocabulary};

const tb = (uncached: number, read: number, write: number, output: number, reasoning: number): TokenBreakdown => ({quality: 'complete', inputUncached: uncached, inputCacheRead: read, inputCacheWrite: write, output, outputReasoning: reasoning, unclassified: 0});
const raw = (t: Partial<TokenCounts> & {total: number}): TokenCounts => ({input: 0, output: 0, reasoning: 0, cached: 0, cacheRead: 0, cacheCreation: 0, ...t});

const CASES: Case[] = [
	{
		// Anthropic: input excludes the cache; reasoning (thinking) is inside output; total = input + output.
		name: 'Claude (claude-sonnet-4-5): thinking counted once, inside output',
		provider: 'claude', executor: 'ClaudeExecutor', model: 'claude-sonnet-4-5-20250929',
		raw: raw({input: 3_100, output: 224_026, reasoning: 38_200, cached: 51_000, cacheRead: 51_000, cacheCreation: 4_400, total: 227_126}),
		breakdown: tb(3_100, 51_000, 4_400, 224_026, 38_200),
		want: {input: 3_100, cacheRead: 51_000, cacheWrite: 4_400, output: 224_026, reasoning: 38_200, total: 227_126},
	},
	{
		// OpenAI Responses (Codex): input includes the cache read; reasoning is inside output.
		name: 'Codex (gpt-5-codex): the cache taken out of input, reasoning inside output',
		provider: 'codex', executor: 'CodexExecutor', model: 'gpt-5-codex',
		raw: raw({input: 48_000, output: 2_300, reasoning: 1_900, cached: 41_000, cacheRead: 41_000, total: 50_300}),
		breakdown: tb(7_000, 41_000, 0, 2_300, 1_900),
		want: {input: 7_000, cacheRead: 41_000, cacheWrite: 0, output: 2_300, reasoning: 1_900, total: 50_300},
	},
	{
		// Gemini: prompt includes the cached content; thoughts are beside candidates, billed as output.
		name: 'Gemini (gemini-2.5-pro): thoughts added to output, the cache taken out of input',
		provider: 'gemini', executor: 'GeminiExecutor', model: 'gemini-2.5-pro',
		raw: raw({input: 20_000, output: 800, reasoning: 1_200, cached: 12_000, total: 22_000}),
		breakdown: tb(8_000, 12_000, 0, 2_000, 1_200),
		want: {input: 8_000, cacheRead: 12_000, cacheWrite: 0, output: 2_000, reasoning: 1_200, total: 22_000},
	},
	{
		// Antigravity serves Claude models in Gemini's usage format: read as Gemini, not by the model's name.
		name: 'Antigravity serving claude-opus-4-5: Gemini semantics (cache once, thoughts kept)',
		provider: 'antigravity', executor: 'AntigravityExecutor', model: 'claude-opus-4-5-thinking',
		raw: raw({input: 9_000, output: 500, reasoning: 700, cached: 6_000, total: 10_200}),
		breakdown: tb(3_000, 6_000, 0, 1_200, 700),
		want: {input: 3_000, cacheRead: 6_000, cacheWrite: 0, output: 1_200, reasoning: 700, total: 10_200},
	},
	{
		name: 'OpenAI-compatible (glm-4.6): OpenAI semantics',
		provider: 'openai-compatibility', executor: 'OpenAICompatExecutor', model: 'glm-4.6',
		raw: raw({input: 5_000, output: 900, reasoning: 300, cached: 1_000, total: 5_900}),
		breakdown: tb(4_000, 1_000, 0, 900, 300),
		want: {input: 4_000, cacheRead: 1_000, cacheWrite: 0, output: 900, reasoning: 300, total: 5_900},
	},
];

describe('the token vocabulary, per provider, against CPA’s own token_breakdown', () => {
	it.each(CASES)('$name', c => {
		const family = recordFamily(c.provider, c.executor, c.model);
		expect(vocabulary(family, c.raw, c.breakdown)).toEqual(c.want);
		// Read from the raw counters alone, as for v6 and v7 rows from before 7.2.97: the same.
		expect(vocabulary(family, c.raw, null)).toEqual(c.want);
		// And the buckets pricing bills are the same tokens: no token is in two of them.
		const billed = billedTokens(family, c.raw, null);
		expect([billed.uncached, billed.cacheRead, billed.cacheWrite, billed.output]).toEqual([c.want.input, c.want.cacheRead, c.want.cacheWrite, c.want.output]);
	});

	it('a total-only record (no split at all) counts its total as input, as it is billed', () => {
		expect(vocabulary('openai', raw({total: 4_321}), null)).toEqual({input: 4_321, cacheRead: 0, cacheWrite: 0, output: 0, reasoning: 0, total: 4_321});
		// A breakdown that classifies nothing is no breakdown.
		expect(vocabulary('claude', raw({total: 900}), {...tb(0, 0, 0, 0, 0), quality: 'unclassified', unclassified: 900})).toMatchObject({input: 900, total: 900});
	});

	it('a partial breakdown bills its unclassified tokens at the input rate, so they are input', () => {
		expect(vocabulary('openai', raw({input: 1_000, output: 50, total: 1_250}), {...tb(800, 0, 0, 50, 0), quality: 'unclassified', unclassified: 200})).toEqual({input: 1_000, cacheRead: 0, cacheWrite: 0, output: 50, reasoning: 0, total: 1_250});
	});

	it('an inconsistent breakdown is set aside for the raw counters', () => {
		const c = CASES[1]!;
		expect(vocabulary('openai', c.raw, {...tb(1, 2, 3, 4, 5), quality: 'inconsistent'})).toEqual(c.want);
	});
});
