import {familyOfModel, familyOfProvider} from '../core/pricing/token-family.js';
import {formatTokens} from '../core/report/format.js';
import {EXIT} from '../runtime/exit-codes.js';
import type {PricesContext} from './prices.js';
import type {EstimateReason} from '../core/cpa/usage-record.js';
import {readPriceRef} from '../core/pricing/service-tier.js';
import {columns, ESTIMATE_TEXT, FAMILY_TEXT, formulaLines, howText, ratesText, serviceTierLines, usd} from './prices-format.js';
import {safeJson, safeOr, safeText} from '../core/text/safe-text.js';

const SOURCE_NAME = {override: 'your prices', litellm: 'LiteLLM', 'llm-prices': 'llm-prices.com'} as const;

/** `prices show [MODEL]`: the sources and the models seen, or how one name is priced. */
export function runShow(ctx: PricesContext): number {
	return ctx.args.length > 0 ? showModel(ctx, ctx.args.join(' ')) : showAll(ctx);
}

function showModel({prices, flags, io}: PricesContext, model: string): number {
	const m = prices.book.match(model);
	const family = flags.provider ? (familyOfProvider(flags.provider, null) ?? familyOfModel(model)) : familyOfModel(model);
	const table = prices.book.tables.find(t => t.source === m.source && t.version === m.version);
	if (flags.json) {
		const serviceTiers = {priority: m.compiled.priority, flex: m.compiled.flex};
		io.stdout(
			`${safeJson({model, match: {how: m.how, key: m.key, ref: m.ref, estimated: m.estimated, inherited_from: m.inheritedFrom}, price: m.price, service_tiers: serviceTiers, family, formula: formulaLines(family, m.compiled.base)}, 2)}\n`,
		);
		return EXIT.ok;
	}
	const lines = [
		model,
		`  matched   ${m.ref} (${howText(m)})`,
		`  source    ${m.how === 'default' && m.source === 'default' ? "the built-in _default (the original collector's)" : `${SOURCE_NAME[m.source as keyof typeof SOURCE_NAME] ?? m.source} ${m.version}${table?.origin ? ` (${table.origin})` : ''}`}`,
		`  prices    USD per 1M tokens: ${ratesText(m.compiled.base)}`,
		...m.compiled.tiers
			.slice()
			.reverse()
			.map(t => `            above ${t.above.toLocaleString('en-US')} prompt tokens (the whole request): ${ratesText(t)}`),
	];
	lines.push(...[...serviceTierLines('priority', m.compiled.priority, m.ref), ...serviceTierLines('flex', m.compiled.flex, m.ref)].map((l, i) => `  ${i === 0 ? 'tiers   ' : '        '}  ${l}`));
	if (m.inheritedFrom) lines.push(`            cache prices from ${m.inheritedFrom} (your price names only input and output)`);
	if (m.price.note) lines.push(`            ${m.price.note}`);
	if (m.price.cacheRead === undefined || m.price.cacheWrite === undefined) lines.push('            no cache price for some cache tokens: they are billed at the input price');
	lines.push(`  tokens    ${flags.provider ? `provider ${flags.provider}` : 'by the model name (rows from CPA v6 carry no provider)'}: ${FAMILY_TEXT[family]}`);
	lines.push(...formulaLines(family, m.compiled.base).map((f, i) => `  ${i === 0 ? 'formula ' : '        '}  ${i === 0 ? `cost = ${f}` : f}`));
	if (m.estimated) lines.push(`  set one   cliproxy-usage prices set ${model} --input USD --output USD`);
	// Keys and notes come from the price feeds: every line is shown, never raw.
	io.stdout(`${lines.map(line => safeText(line, 4000)).join('\n')}\n`);
	return EXIT.ok;
}

type Seen = {provider: string; model: string; requests: number; estimated: number};

function showAll({prices, db, flags, io}: PricesContext): number {
	const cached = prices.cachedSources();
	const seen: Seen[] = db
		? (db.prepare('SELECT s.provider, s.model, sum(u.requests) AS requests, sum(u.estimated) AS estimated FROM usage_1d u JOIN series s ON s.id = u.series_id GROUP BY 1, 2 ORDER BY requests DESC, model').all() as Seen[])
		: [];
	const models = seen.map(s => ({...s, match: prices.book.match(s.model)}));
	const dflt = prices.book.match('_default');
	const reasons = db ? estimateReasons(db) : [];
	const sources = prices.book.tables.map(t => ({source: t.source, version: t.version, models: Object.keys(t.models).length, origin: t.origin ?? null}));
	if (flags.json) {
		io.stdout(
			`${safeJson(
				{
					sources,
					fetches: cached.map(c => ({source: c.source, version: c.table?.version ?? null, fetched_at: c.fetchedAt, attempted_at: c.attemptedAt, last_error: c.lastError})),
					default: {ref: dflt.ref, price: dflt.price},
					models: models.map(m => ({provider: m.provider, model: m.model, requests: m.requests, estimated_requests: m.estimated, ref: m.match.ref, how: m.match.how, estimated: m.match.estimated, price: m.match.price})),
					estimate_reasons: reasons,
				},
				2,
			)}\n`,
		);
		return EXIT.ok;
	}
	const out = ['Price sources, most trusted first (USD per 1M tokens):'];
	out.push(columns(sources.map(s => [`  ${SOURCE_NAME[s.source]}`, s.version, `${s.models} models`, s.origin ?? ''])));
	out.push(`  _default  ${dflt.ref}: input ${usd(dflt.price.input)}, output ${usd(dflt.price.output)} (unknown models, always flagged estimated)`);
	for (const c of cached) {
		if (c.lastError) out.push(`  last ${SOURCE_NAME[c.source]} fetch failed at ${new Date(c.attemptedAt).toISOString()}: ${safeText(c.lastError, 'error')}`);
	}
	if (!db) out.push('', 'No database yet: run the collector first to see the models you use.');
	else if (models.length === 0) out.push('', 'No requests stored yet.');
	else {
		out.push('', 'Models seen:');
		const rows = [['  provider', 'model', 'requests', 'estimated', 'price now', 'input', 'output', 'cache read', 'cache write']];
		for (const m of models) {
			const r = m.match.compiled.base;
			const ref = safeText(m.match.ref);
			rows.push([`  ${safeOr(m.provider, 'provider', '-')}`, safeText(m.model, 'model'), formatTokens(m.requests), formatTokens(m.estimated), m.match.estimated ? `ESTIMATED (${ref})` : ref, usd(r.input), usd(r.output), usd(r.cacheRead), usd(r.cacheWrite)]);
		}
		out.push(columns(rows));
		const stored = models.reduce((n, m) => n + m.estimated, 0);
		const unknown = models.filter(m => m.match.estimated).map(m => safeText(m.model, 'model'));
		out.push('');
		out.push(`${stored.toLocaleString('en-US')} requests at estimated prices stored${stored > 0 && reasons.length > 0 ? ', for these reasons:' : '.'}`);
		if (stored > 0) for (const r of reasons) out.push(`  ${r}: ${ESTIMATE_TEXT[r]}`);
		if (unknown.length > 0) out.push(`No known price for ${unknown.join(', ')}: set one with cliproxy-usage prices set MODEL --input USD --output USD`);
	}
	io.stdout(`${out.join('\n')}\n`);
	return EXIT.ok;
}

/**
 * Why stored costs are estimates: the reasons in the price references stored so far (a small
 * table, so no scan of the requests; a reference a re-price left unused still counts) and the
 * legacy counter deltas.
 */
function estimateReasons(db: NonNullable<PricesContext['db']>): EstimateReason[] {
	const found = new Set<EstimateReason>();
	const refs = db.prepare('SELECT ref FROM price_refs').all() as Array<{ref: string}>;
	for (const {ref} of refs) {
		const why = readPriceRef(ref).estimate;
		if (why) found.add(why);
	}
	if (db.prepare('SELECT 1 FROM counter_deltas LIMIT 1').get()) found.add('counter-only');
	return (Object.keys(ESTIMATE_TEXT) as EstimateReason[]).filter(r => found.has(r));
}
