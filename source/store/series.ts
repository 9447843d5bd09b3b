import {serviceTierOf} from '../core/pricing/service-tier.js';
import type {Series, SeriesKey, SeriesLookup} from '../core/report/series.js';
import type {Db} from './database.js';

const SEP = '\u001F';
const keyOf = (s: SeriesKey) => [s.instance, s.provider, s.model, s.api, s.authIndex, s.tier].join(SEP);

/** Ids for series, cached; `reset()` after a rolled-back transaction (ids handed out inside it are gone). */
export class SeriesCache {
	private ids: Map<string, number> | undefined;
	private readonly insert;
	private readonly all;

	constructor(db: Db) {
		this.insert = db.prepare<[string, string, string, string, string, string], {id: number}>(`
			INSERT INTO series (instance, provider, model, api, auth_index, tier) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (instance, provider, model, api, auth_index, tier) DO UPDATE SET model = excluded.model RETURNING id`);
		this.all = db.prepare<[], SeriesRow>('SELECT * FROM series');
	}

	idFor(s: SeriesKey): number {
		this.ids ??= new Map(this.all.all().map(r => [keyOf(fromRow(r)), r.id]));
		const key = keyOf(s);
		let id = this.ids.get(key);
		if (id === undefined) {
			id = this.insert.get(s.instance, s.provider, s.model, s.api, s.authIndex, s.tier)!.id;
			this.ids.set(key, id);
		}
		return id;
	}

	reset(): void {
		this.ids = undefined;
	}
}

type SeriesRow = {id: number; instance: string; provider: string; model: string; api: string; auth_index: string; tier: string};

function fromRow(r: SeriesRow): Series {
	return {id: r.id, instance: r.instance, provider: r.provider, model: r.model, api: r.api, authIndex: r.auth_index, tier: r.tier};
}

const indexes = new WeakMap<Db, {byId: Map<number, Series>; load: () => SeriesRow[]}>();

/** Every series by id, read once per database and again when an id it has not seen turns up. */
export function seriesLookup(db: Db): SeriesLookup {
	let entry = indexes.get(db);
	if (!entry) {
		const stmt = db.prepare<[], SeriesRow>('SELECT * FROM series');
		entry = {byId: new Map(), load: () => stmt.all()};
		indexes.set(db, entry);
	}
	const e = entry;
	return id => {
		let s = e.byId.get(id);
		if (!s) {
			for (const row of e.load()) e.byId.set(row.id, fromRow(row));
			s = e.byId.get(id);
		}
		return s;
	};
}

/** The service tier a request is billed at, as pricing reads it: `priority` or `flex`; '' standard. */
export function billedTier(tier: string | null): string {
	return serviceTierOf(tier) ?? '';
}

/** CPA's statsKey for a request: the masked client key, else the endpoint, else the provider. */
export function apiLabel(clientKeyMasked: string | null, endpoint: string | null, provider: string | null): string {
	return clientKeyMasked ?? endpoint ?? provider ?? 'unknown';
}

/** After a rolled-back transaction: series read inside it may no longer exist. */
export function forgetSeriesLookup(db: Db): void {
	indexes.delete(db);
}
