import {FieldError, isObject} from '../cpa/fields.js';
import {readStoredTable} from './price-file.js';
import type {PriceTable} from './price-table.js';

export const SNAPSHOT_FORMAT = 'cliproxy-usage-prices/1';

/**
 * The bundled offline snapshot (`source/pricing/price-snapshot.json`), written by
 * `scripts/build-price-snapshot.ts`: LiteLLM's and llm-prices.com's tables in our shape,
 * versioned `bundled-<data date>`, most trusted first.
 */
export type PriceSnapshot = {format: typeof SNAPSHOT_FORMAT; generated: string; tables: PriceTable[]};

export function readSnapshot(raw: unknown): PriceSnapshot {
	if (!isObject(raw) || raw['format'] !== SNAPSHOT_FORMAT) throw new FieldError('format', `expected "${SNAPSHOT_FORMAT}"`);
	if (typeof raw['generated'] !== 'string') throw new FieldError('generated', 'expected a date');
	if (!Array.isArray(raw['tables'])) throw new FieldError('tables', 'expected an array');
	return {format: SNAPSHOT_FORMAT, generated: raw['generated'], tables: raw['tables'].map((t, i) => readStoredTable(t, `tables[${i}]`))};
}
