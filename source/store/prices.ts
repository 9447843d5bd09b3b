import {FieldError} from '../core/cpa/fields.js';
import {readStoredTable} from '../core/pricing/price-file.js';
import type {ModelPrice, PriceTable} from '../core/pricing/price-table.js';
import type {Db} from './database.js';
import {dict} from '../core/text/dict.js';

export type FetchedSource = 'litellm' | 'llm-prices';

export type CachedSource = {
	source: FetchedSource;
	/** The last good fetch, or null when none succeeded or the stored copy is unreadable. */
	table: PriceTable | null;
	fetchedAt: number | null;
	attemptedAt: number;
	lastError: string | null;
};

export type OverrideRow = {model: string; input: number; output: number; cacheRead: number | null; cacheWrite: number | null; updatedAt: number};

const REVISION_KEY = 'prices_revision';

/**
 * Pricing state in the database: `prices set` overrides and the cached copy of the last
 * good fetch of each source. Every change bumps a revision in `collector_state`, so a
 * running collector notices a `prices set` or `prices update` made from another shell.
 */
export class PriceStore {
	constructor(private readonly db: Db) {}

	revision(): number {
		const row = this.db.prepare<[string], {value: string}>('SELECT value FROM collector_state WHERE key = ?').get(REVISION_KEY);
		return row ? Number(row.value) : 0;
	}

	overrides(): OverrideRow[] {
		return this.db
			.prepare<[], {model: string; input: number; output: number; cache_read: number | null; cache_write: number | null; updated_at: number}>(
				'SELECT model, input, output, cache_read, cache_write, updated_at FROM price_overrides ORDER BY model',
			)
			.all()
			.map(r => ({model: r.model, input: r.input, output: r.output, cacheRead: r.cache_read, cacheWrite: r.cache_write, updatedAt: r.updated_at}));
	}

	/** The overrides as the most trusted table, versioned by the time of the latest change. */
	overrideTable(): PriceTable | null {
		const rows = this.overrides();
		if (rows.length === 0) return null;
		const models = dict<ModelPrice>();
		for (const r of rows) {
			const price: ModelPrice = {input: r.input, output: r.output};
			if (r.cacheRead !== null) price.cacheRead = r.cacheRead;
			if (r.cacheWrite !== null) price.cacheWrite = r.cacheWrite;
			models[r.model] = price;
		}
		const latest = Math.max(...rows.map(r => r.updatedAt));
		return {source: 'override', version: `db-${compactTime(latest)}`, origin: 'cliproxy-usage prices set', models};
	}

	setOverride(row: OverrideRow): void {
		this.db.transaction(() => {
			this.db
				.prepare(
					`INSERT INTO price_overrides (model, input, output, cache_read, cache_write, updated_at) VALUES (?, ?, ?, ?, ?, ?)
					ON CONFLICT (model) DO UPDATE SET input = excluded.input, output = excluded.output, cache_read = excluded.cache_read,
						cache_write = excluded.cache_write, updated_at = excluded.updated_at`,
				)
				.run(row.model, row.input, row.output, row.cacheRead, row.cacheWrite, row.updatedAt);
			this.bump();
		})();
	}

	removeOverride(model: string): boolean {
		return this.db.transaction(() => {
			const changed = this.db.prepare('DELETE FROM price_overrides WHERE model = ?').run(model).changes > 0;
			if (changed) this.bump();
			return changed;
		})();
	}

	cached(): CachedSource[] {
		const rows = this.db
			.prepare<[], {source: string; body: string | null; fetched_at: number | null; attempted_at: number; last_error: string | null}>(
				'SELECT source, body, fetched_at, attempted_at, last_error FROM price_cache ORDER BY source',
			)
			.all();
		return rows
			.filter(r => r.source === 'litellm' || r.source === 'llm-prices')
			.map(r => ({source: r.source as FetchedSource, table: parseTable(r.body, r.source), fetchedAt: r.fetched_at, attemptedAt: r.attempted_at, lastError: r.last_error}));
	}

	saveFetch(source: FetchedSource, table: PriceTable, now: number): void {
		this.db.transaction(() => {
			this.db
				.prepare(
					`INSERT INTO price_cache (source, version, origin, body, fetched_at, attempted_at, last_error) VALUES (?, ?, ?, ?, ?, ?, NULL)
					ON CONFLICT (source) DO UPDATE SET version = excluded.version, origin = excluded.origin, body = excluded.body,
						fetched_at = excluded.fetched_at, attempted_at = excluded.attempted_at, last_error = NULL`,
				)
				.run(source, table.version, table.origin ?? null, JSON.stringify(table), now, now);
			this.bump();
		})();
	}

	/** A failed fetch keeps the last good copy; only the attempt and its error are recorded. */
	saveFailure(source: FetchedSource, error: string, now: number): void {
		this.db
			.prepare(
				`INSERT INTO price_cache (source, attempted_at, last_error) VALUES (?, ?, ?)
				ON CONFLICT (source) DO UPDATE SET attempted_at = excluded.attempted_at, last_error = excluded.last_error`,
			)
			.run(source, now, error);
	}

	private bump(): void {
		this.db
			.prepare("INSERT INTO collector_state (key, value) VALUES (?, '1') ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1")
			.run(REVISION_KEY);
	}
}

function parseTable(body: string | null, source: string): PriceTable | null {
	if (!body) return null;
	try {
		return readStoredTable(JSON.parse(body), `price_cache[${source}]`);
	} catch (error) {
		if (error instanceof SyntaxError || error instanceof FieldError) return null;
		throw error;
	}
}

/** 2026-11-23T10:15:00Z → 20261123T1015Z: short, sortable, and free of the ':' that ends a ref's version. */
export function compactTime(ms: number): string {
	return new Date(ms).toISOString().slice(0, 16).replace(/[-:]/g, '') + 'Z';
}
