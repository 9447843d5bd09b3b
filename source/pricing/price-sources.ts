import {readFileSync, statSync} from 'node:fs';
import {resolve} from 'node:path';
import {FieldError} from '../core/cpa/fields.js';
import {readOverridesFile} from '../core/pricing/price-file.js';
import type {PriceTable} from '../core/pricing/price-table.js';
import type {PriceSnapshot} from '../core/pricing/snapshot.js';
import {EXIT, UserFacingError} from '../runtime/exit-codes.js';
import {compactTime, type CachedSource} from '../store/prices.js';

/**
 * The price layers, most trusted first: `prices set` overrides, the `PRICES_FILE` overrides,
 * the cached copy of the last good fetch (LiteLLM, then llm-prices.com), the bundled
 * snapshot (same order), and below all of them `_default`.
 */
export function priceLayers(parts: {dbOverrides: PriceTable | null; fileOverrides: PriceTable | null; cached: readonly CachedSource[]; bundled: PriceSnapshot}): PriceTable[] {
	const layers: PriceTable[] = [];
	if (parts.dbOverrides) layers.push(parts.dbOverrides);
	if (parts.fileOverrides) layers.push(parts.fileOverrides);
	for (const source of ['litellm', 'llm-prices'] as const) {
		const table = parts.cached.find(c => c.source === source)?.table;
		if (table) layers.push(table);
	}
	layers.push(...parts.bundled.tables);
	return layers;
}

/** The file's modification time, to notice edits; null when there is no file to watch. */
export function pricesFileStamp(path: string | null): number | null {
	if (!path) return null;
	try {
		return statSync(path).mtimeMs;
	} catch {
		return null;
	}
}

/** Reads `PRICES_FILE`. A missing or bad file is the user's to fix: one line naming the field. */
export function loadPricesFile(path: string): PriceTable {
	const file = resolve(path);
	let text: string;
	let mtime: number;
	try {
		text = readFileSync(file, 'utf8');
		mtime = statSync(file).mtimeMs;
	} catch (error) {
		throw new UserFacingError(`PRICES_FILE ${file} cannot be read (${(error as {code?: string}).code ?? 'error'}): fix the path or unset PRICES_FILE.`, EXIT.usage);
	}
	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch (error) {
		throw new UserFacingError(`PRICES_FILE ${file} is not valid JSON (${(error as Error).message}).`, EXIT.usage);
	}
	try {
		return readOverridesFile(raw, `file-${compactTime(mtime)}`, file);
	} catch (error) {
		if (error instanceof FieldError) {
			throw new UserFacingError(`PRICES_FILE ${file}: ${error.field} ${error.problem}. Prices are USD per million tokens, e.g. {"models": {"glm-4.6": {"input": 0.6, "output": 2.2}}}.`, EXIT.usage);
		}
		throw error;
	}
}
