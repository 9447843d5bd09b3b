import type {EstimateReason} from '../core/cpa/usage-record.js';
import type {MatchHow, PriceMatch} from '../core/pricing/price-index.js';
import type {CompiledRates, Rates} from '../core/pricing/price-table.js';
import type {TokenFamily} from '../core/pricing/token-family.js';

/** A price per million tokens as people write it: $3, $0.30, $0.075, $22.50. */
export function usd(perMillion: number): string {
	if (Number.isInteger(perMillion)) return `$${perMillion}`;
	const text = String(Number(perMillion.toPrecision(6)));
	return `$${/\.\d$/.test(text) ? `${text}0` : text}`;
}

export function ratesText(r: Rates): string {
	return `input ${usd(r.input)}, output ${usd(r.output)}, cache read ${usd(r.cacheRead)}, cache write ${usd(r.cacheWrite)}`;
}

const HOW: Record<MatchHow, string> = {
	exact: 'exact id',
	normalized: 'id without provider prefix, region, date or version suffix',
	alias: 'a spelling variant (dots vs dashes, Claude word order)',
	prefix: 'same model without its effort/thinking qualifier',
	default: 'no price source knows this model: priced at _default, flagged estimated',
};

export function howText(m: PriceMatch): string {
	return HOW[m.how];
}

export const FAMILY_TEXT: Record<TokenFamily, string> = {
	openai: 'OpenAI semantics: cached tokens are inside input, reasoning is inside output',
	claude: 'Claude semantics: input excludes cache; cache read and cache creation are billed apart; thinking is inside output',
	gemini: 'Gemini semantics: cached tokens are inside input; thoughts (reasoning) are beside output, billed at the output rate',
};

/** The formula with the numbers in it, per million tokens. */
export function formulaLines(family: TokenFamily, r: Rates): string[] {
	const n = (v: number) => usd(v).slice(1);
	const lines =
		family === 'claude'
			? [
					`(input × ${n(r.input)} + cache_read × ${n(r.cacheRead)} + cache_creation × ${n(r.cacheWrite)} + output × ${n(r.output)}) / 1,000,000`,
					`CPA v6 and 7.0.0–7.0.2 rows carry only cached_tokens (the read, or the creation when there was no read): billed as cache read, a lower bound, flagged estimated`,
				]
			: family === 'gemini'
				? [`((input − cached) × ${n(r.input)} + cached × ${n(r.cacheRead)} + (output + reasoning) × ${n(r.output)}) / 1,000,000`]
				: [`((input − cached − cache_creation) × ${n(r.input)} + cached × ${n(r.cacheRead)} + cache_creation × ${n(r.cacheWrite)} + output × ${n(r.output)}) / 1,000,000`];
	return [
		...lines,
		`with CPA v7.2.97+'s token_breakdown: (uncached × ${n(r.input)} + cache_read × ${n(r.cacheRead)} + cache_write × ${n(r.cacheWrite)} + output.total × ${n(r.output)} + unclassified × ${n(r.input)}) / 1,000,000`,
		`a record with only total_tokens: total × ${n(r.input)} / 1,000,000, flagged estimated (as is any with unclassified tokens)`,
	];
}

/** A service tier's rates, as `prices show MODEL` lists them. */
export function serviceTierLines(name: string, rates: CompiledRates | null, ref: string): string[] {
	if (rates === null) return [`${name}: no ${name} prices in the source: billed at the standard prices (${ref}#${name}=standard)`];
	return [
		`${name}: ${ratesText(rates.base)} (${ref}#${name})`,
		...rates.tiers
			.slice()
			.reverse()
			.map(t => `  above ${t.above.toLocaleString('en-US')} prompt tokens: ${ratesText(t)}`),
	];
}

/** Why a stored cost is an estimate (the `!reason` of its price reference). */
export const ESTIMATE_TEXT: Record<EstimateReason, string> = {
	'default-price': 'no price source knows the model: priced at _default',
	'total-only': 'only a total token count, no input/output split: all of it at the input price',
	unclassified: "part of CPA's token_breakdown unclassified: those tokens at the input price",
	'lower-bound': 'Claude rows of CPA v6 and 7.0.0–7.0.2: cached_tokens may be cache writes, billed as reads (a lower bound)',
	'counter-only': 'legacy counter deltas: only a token total, at the input price',
};

/** Columns padded to their widest cell; the last column is not padded. */
export function columns(rows: string[][]): string {
	const widths = rows[0]!.map((_, i) => Math.max(...rows.map(r => (r[i] ?? '').length)));
	return rows.map(r => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}
