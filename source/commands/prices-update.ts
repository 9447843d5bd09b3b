import type {ModelPrice} from '../core/pricing/price-table.js';
import {EXIT} from '../runtime/exit-codes.js';
import type {PriceChange} from '../pricing/price-service.js';
import type {PricesContext} from './prices.js';
import {usd} from './prices-format.js';
import {safeJson, safeOr, safeText} from '../core/text/safe-text.js';

const NAME = {litellm: 'LiteLLM', 'llm-prices': 'llm-prices.com'} as const;
const SHOWN = 12;

/** `prices update`: fetch both sources now and say what changed. Exit 1 when neither could be fetched. */
export async function runUpdate({prices, flags, io}: PricesContext): Promise<number> {
	const reports = await prices.update();
	if (flags.json) {
		io.stdout(`${safeJson(reports, 2)}\n`);
	} else {
		for (const r of reports) {
			if (!r.ok) {
				io.stdout(`${NAME[r.source]}: not updated (${safeOr(r.error, 'error', 'unknown error')}); still using ${safeOr(r.version, 'version', 'none')}\n`);
				continue;
			}
			const added = r.changes.filter(c => c.before === null).length;
			const removed = r.changes.filter(c => c.after === null).length;
			const changed = r.changes.filter(c => c.before && c.after);
			io.stdout(`${NAME[r.source]}: ${r.version}, ${r.models} models (was ${r.previous}): ${added} added, ${changed.length} changed, ${removed} gone\n`);
			// Model names come from the feeds.
			for (const c of changed.slice(0, SHOWN)) io.stdout(`  ${safeText(c.model, 'model')}: ${describe(c)}\n`);
			if (changed.length > SHOWN) io.stdout(`  … and ${changed.length - SHOWN} more (--json lists them all)\n`);
		}
		if (reports.some(r => r.ok)) {
			io.stdout('New prices apply to requests collected from now on; to re-price history: cliproxy-usage prices reprice --since YYYY-MM-DD\n');
		}
	}
	if (reports.every(r => !r.ok)) {
		io.stderr('cliproxy-usage: no price source could be fetched; prices stay as they were (cached or bundled), and everything still prices offline.\n');
		return EXIT.failure;
	}
	return EXIT.ok;
}

function describe(c: PriceChange): string {
	const before = c.before as ModelPrice;
	const after = c.after as ModelPrice;
	const parts: string[] = [];
	for (const [field, label] of [['input', 'input'], ['output', 'output'], ['cacheRead', 'cache read'], ['cacheWrite', 'cache write']] as const) {
		const a = before[field];
		const b = after[field];
		if (a !== b) parts.push(`${label} ${a === undefined ? 'none' : usd(a)} → ${b === undefined ? 'none' : usd(b)}`);
	}
	return parts.join(', ');
}
