import {splitAccountKey} from '../core/cpa/account-key.js';
import {instanceNames} from '../store/instances.js';
import type {PriceConfig} from '../core/pricing/price-config.js';
import type {ModelPrice, PriceTable} from '../core/pricing/price-table.js';
import type {PriceSnapshot} from '../core/pricing/snapshot.js';
import {dict} from '../core/text/dict.js';
import {UserFacingError} from '../runtime/exit-codes.js';
import type {Logger} from '../runtime/logger.js';
import {readAccounts} from '../store/accounts.js';
import type {Db} from '../store/database.js';
import {PriceStore, type CachedSource, type FetchedSource} from '../store/prices.js';
import {bundledSnapshot} from './bundled.js';
import {fetchPriceTable, type FetchOptions} from './fetch-prices.js';
import {PriceBook} from './price-book.js';
import {loadPricesFile, priceLayers, pricesFileStamp} from './price-sources.js';

export type PriceServiceDeps = {
	/** Null: no database yet (`prices show` before the first collection): bundled prices and the file only. */
	db: Db | null;
	config: PriceConfig;
	logger: Logger;
	now: () => number;
	bundled?: PriceSnapshot;
	fetchOptions?: Omit<FetchOptions, 'signal'>;
};

export type PriceChange = {model: string; before: ModelPrice | null; after: ModelPrice | null};

export type UpdateReport = {
	source: FetchedSource;
	ok: boolean;
	/** The version now in use for this source, and the one before. */
	version: string;
	previous: string;
	models: number;
	error: string | null;
	changes: PriceChange[];
};

export const SOURCES: readonly FetchedSource[] = ['litellm', 'llm-prices'];
export const FETCH_EVERY_MS = 24 * 3_600_000;
export const RETRY_FAILED_FETCH_MS = 6 * 3_600_000;

/**
 * Owns the prices a process uses: builds the layers (overrides, cached fetch, bundled
 * snapshot), swaps them into the PriceBook when they change, and fetches fresh tables on
 * request (`prices update`) or in the background (`startAutoRefresh`), at most once a day per
 * source. A failed fetch is logged and changes nothing; offline, everything prices from the
 * cache or the snapshot.
 */
export class PriceService {
	readonly book: PriceBook;
	private readonly store: PriceStore | null;
	private readonly bundled: PriceSnapshot;
	private revision = 0;
	private fileStamp: number | null = null;
	private timers: NodeJS.Timeout[] = [];
	private updating: Promise<UpdateReport[]> | null = null;
	private readonly abort = new AbortController();

	constructor(private readonly deps: PriceServiceDeps) {
		this.store = deps.db ? new PriceStore(deps.db) : null;
		this.bundled = deps.bundled ?? bundledSnapshot();
		this.book = new PriceBook(this.loadLayers(), (model, match) =>
			deps.logger.warn('no price known for a model: priced at _default and flagged estimated', {
				model,
				default: `$${match.price.input}/$${match.price.output} per 1M tokens`,
				fix: `cliproxy-usage prices set ${model} --input USD --output USD`,
			}),
		);
		this.refreshAccounts();
	}

	/**
	 * Re-reads each credential's provider from the `accounts` table (kept from `/auth-files`):
	 * CPA v6 rows name no provider, so their token semantics follow their account's. Call it
	 * when the accounts were listed again.
	 */
	refreshAccounts(): void {
		if (!this.deps.db) return;
		// Several CPAs: a record names CPA's own auth_index, so every instance's accounts are known by
		// it; where two CPAs use one index the first CPA's account decides (both v6 and both
		// provider-less is the only case where that matters).
		const tags = new Set(instanceNames(this.deps.db, '').keys());
		const own = new Map<string, string>();
		const others = new Map<string, string>();
		for (const a of readAccounts(this.deps.db).accounts) {
			if (!a.provider) continue;
			const {tag, authIndex} = splitAccountKey(a.auth_index, tags);
			if (tag === '') own.set(authIndex, a.provider);
			else if (!others.has(authIndex)) others.set(authIndex, a.provider);
		}
		for (const [authIndex, provider] of others) if (!own.has(authIndex)) own.set(authIndex, provider);
		this.book.setAccountProviders(own);
	}

	get snapshot(): PriceSnapshot {
		return this.bundled;
	}

	cachedSources(): CachedSource[] {
		return this.store?.cached() ?? [];
	}

	/**
	 * Re-reads the layers when another process changed them (`prices set`, `prices update`)
	 * or the overrides file was edited. A broken file is logged and the old prices stay.
	 */
	reload(force = false): boolean {
		const changed = force || (this.store?.revision() ?? 0) !== this.revision || pricesFileStamp(this.deps.config.file) !== this.fileStamp;
		if (!changed) return false;
		try {
			this.book.setTables(this.loadLayers());
			return true;
		} catch (error) {
			if (!(error instanceof UserFacingError)) throw error;
			this.fileStamp = pricesFileStamp(this.deps.config.file);
			this.deps.logger.error('price overrides not reloaded; the previous prices stay in use', {error: error.message});
			return false;
		}
	}

	/** Sources whose last good fetch is a day old (and whose last failure is 6 hours old). */
	due(now: number): FetchedSource[] {
		const cached = this.cachedSources();
		return SOURCES.filter(source => {
			const c = cached.find(x => x.source === source);
			if (!c) return true;
			const stale = c.fetchedAt === null || now - c.fetchedAt >= FETCH_EVERY_MS;
			const wait = c.fetchedAt !== null && c.attemptedAt === c.fetchedAt ? FETCH_EVERY_MS : RETRY_FAILED_FETCH_MS;
			return stale && now - c.attemptedAt >= wait;
		});
	}

	/** Fetches now; concurrent calls share one fetch. Never throws for network trouble. */
	update(sources: readonly FetchedSource[] = SOURCES): Promise<UpdateReport[]> {
		this.updating ??= this.fetchAll(sources).finally(() => (this.updating = null));
		return this.updating;
	}

	/**
	 * For the long-running modes: every minute, pick up changed overrides; when a source is
	 * due (and PRICES_AUTO_UPDATE is on), fetch it in the background. Timers are unref'd and
	 * the fetch runs between passes, so neither collection nor the UI waits for it.
	 */
	startAutoRefresh(options: {firstCheckMs?: number; everyMs?: number} = {}): void {
		if (this.timers.length > 0) return;
		const fail = (error: unknown) => this.deps.logger.error('price refresh failed; the current prices stay in use', {error: String(error)});
		const tick = () => {
			try {
				this.reload();
				if (!this.deps.config.autoUpdate || this.store === null || this.updating) return;
				const due = this.due(this.deps.now());
				if (due.length > 0) this.update(due).catch(fail);
			} catch (error) {
				fail(error); // a busy or closing database must never take the process down from a timer
			}
		};
		const first = setTimeout(tick, options.firstCheckMs ?? 5_000);
		const every = setInterval(tick, options.everyMs ?? 60_000);
		first.unref();
		every.unref();
		this.timers.push(first, every);
	}

	stop(): void {
		for (const t of this.timers) clearTimeout(t);
		this.timers = [];
		this.abort.abort();
	}

	private async fetchAll(sources: readonly FetchedSource[]): Promise<UpdateReport[]> {
		const store = this.store;
		if (!store) throw new Error('prices cannot be updated without a database');
		const outcomes = await Promise.all(sources.map(s => fetchPriceTable(s, this.deps.config, this.deps.now(), {...this.deps.fetchOptions, signal: this.abort.signal})));
		if (this.abort.signal.aborted) return [];
		const before = store.cached();
		const reports: UpdateReport[] = [];
		const now = this.deps.now();
		for (const o of outcomes) {
			const old = before.find(c => c.source === o.source)?.table ?? bundledOf(this.bundled, o.source);
			if (o.ok) {
				store.saveFetch(o.source, o.table, now);
				reports.push({source: o.source, ok: true, version: o.table.version, previous: old?.version ?? 'none', models: Object.keys(o.table.models).length, error: null, changes: diff(old, o.table)});
				this.deps.logger.info('prices updated', {source: o.source, version: o.table.version, models: Object.keys(o.table.models).length});
			} else {
				store.saveFailure(o.source, o.error, now);
				reports.push({source: o.source, ok: false, version: old?.version ?? 'none', previous: old?.version ?? 'none', models: old ? Object.keys(old.models).length : 0, error: o.error, changes: []});
				this.deps.logger.warn('price fetch failed; the cached or bundled prices stay in use', {source: o.source, error: o.error});
			}
		}
		this.reload(true);
		return reports;
	}

	private loadLayers(): PriceTable[] {
		this.revision = this.store?.revision() ?? 0;
		const file = this.deps.config.file;
		this.fileStamp = pricesFileStamp(file);
		return priceLayers({
			dbOverrides: this.store?.overrideTable() ?? null,
			fileOverrides: file ? loadPricesFile(file) : null,
			cached: this.store?.cached() ?? [],
			bundled: this.bundled,
		});
	}
}

/** The snapshot's tables of one source as one (it may hold a newer partial copy above an older full one). */
function bundledOf(snapshot: PriceSnapshot, source: FetchedSource): PriceTable | null {
	const tables = snapshot.tables.filter(t => t.source === source);
	if (tables.length <= 1) return tables[0] ?? null;
	const models = dict<ModelPrice>();
	for (const t of tables.slice().reverse()) Object.assign(models, t.models);
	return {...tables[0]!, models};
}

function diff(before: PriceTable | null, after: PriceTable): PriceChange[] {
	const changes: PriceChange[] = [];
	const old = before?.models ?? {};
	const has = (table: Record<string, ModelPrice>, model: string) => Object.hasOwn(table, model);
	for (const [model, price] of Object.entries(after.models)) {
		const was = has(old, model) ? old[model] : undefined;
		if (!was) changes.push({model, before: null, after: price});
		else if (
			was.input !== price.input ||
			was.output !== price.output ||
			was.cacheRead !== price.cacheRead ||
			was.cacheWrite !== price.cacheWrite ||
			JSON.stringify(was.serviceTiers ?? null) !== JSON.stringify(price.serviceTiers ?? null)
		) {
			changes.push({model, before: was, after: price});
		}
	}
	for (const [model, price] of Object.entries(old)) if (!has(after.models, model)) changes.push({model, before: price, after: null});
	return changes.sort((a, b) => a.model.localeCompare(b.model));
}
