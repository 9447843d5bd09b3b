import {EXIT} from '../runtime/exit-codes.js';
import {PriceStore} from '../store/prices.js';
import {kebab} from './args.js';
import type {PricesContext, PricesFlags} from './prices.js';
import {usageError} from './common.js';
import {usd} from './prices-format.js';

/** `prices set MODEL --input USD --output USD [--cache-read USD] [--cache-write USD]` */
export function runSet({db, flags, args, io, prices}: PricesContext): number {
	const model = args[0]?.trim().toLowerCase();
	if (!model || args.length > 1) return usageError(io, 'prices set needs one MODEL, e.g. cliproxy-usage prices set glm-4.6 --input 0.6 --output 2.2');
	const values: Partial<Record<'input' | 'output' | 'cacheRead' | 'cacheWrite', number>> = {};
	for (const name of ['input', 'output', 'cacheRead', 'cacheWrite'] as const) {
		const raw = flags[name as keyof PricesFlags];
		if (raw === undefined) continue;
		const n = Number(raw);
		if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(n) || n < 0) {
			return usageError(io, `--${kebab(name)} must be USD per million tokens, 0 or more, such as 0.6 (got ${JSON.stringify(raw)})`);
		}
		values[name] = n;
	}
	if (values.input === undefined || values.output === undefined) return usageError(io, 'prices set needs both --input and --output (USD per million tokens)');
	new PriceStore(db!).setOverride({model, input: values.input, output: values.output, cacheRead: values.cacheRead ?? null, cacheWrite: values.cacheWrite ?? null, updatedAt: Date.now()});
	prices.reload(true);
	const m = prices.book.match(model);
	const cache = [`cache read ${usd(m.compiled.base.cacheRead)}`, `cache write ${usd(m.compiled.base.cacheWrite)}`].join(', ');
	io.stdout(`${model}: input ${usd(values.input)}, output ${usd(values.output)}, ${cache} per 1M tokens (${m.ref}${m.inheritedFrom ? `; cache prices from ${m.inheritedFrom}` : ''}).\n`);
	io.stdout('It wins over every other source for requests collected from now on; a running collector picks it up within a minute.\n');
	io.stdout('Stored requests keep their price; to re-price them: cliproxy-usage prices reprice --since YYYY-MM-DD\n');
	return EXIT.ok;
}

/** `prices unset MODEL` */
export function runUnset({db, args, io, prices}: PricesContext): number {
	const model = args[0]?.trim().toLowerCase();
	if (!model || args.length > 1) return usageError(io, 'prices unset needs one MODEL, e.g. cliproxy-usage prices unset glm-4.6');
	const removed = new PriceStore(db!).removeOverride(model);
	prices.reload(true);
	io.stdout(removed ? `${model}: your price is removed; it now prices as ${prices.book.match(model).ref}.\n` : `${model} had no price of yours (see cliproxy-usage prices show).\n`);
	return EXIT.ok;
}
