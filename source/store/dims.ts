import type {UsageRecord} from '../core/cpa/usage-record.js';
import {defaultFamily, type TokenFamily} from '../core/pricing/token-family.js';
import type {Db} from './database.js';
import type {SeriesKey} from '../core/report/series.js';
import {apiLabel, billedTier, SeriesCache} from './series.js';

/** A dims row as the writer uses it: its id, the series its requests roll up into, and the token family they are read with. */
export type DimEntry = {id: number; seriesId: number; family: TokenFamily};

const NULL = '\u0000';
const SEP = '\u001F';

/**
 * Ids for the descriptive strings of a request (model, provider, endpoint, masked key, …),
 * stored once in `request_dims`. The map is a cache of the table; `reset()` must follow a
 * rolled-back transaction, because ids handed out inside it no longer exist.
 */
export class DimCache {
	private byModel: Map<string, Map<string, Candidate[]>> | undefined;
	private readonly insert;
	private readonly all;
	constructor(
		db: Db,
		private readonly series: SeriesCache = new SeriesCache(db),
		/** The instance tag this cache's rows belong to: part of each row's signature and series, resolved once per entry. */
		private readonly instance = '',
	) {
		this.insert = db.prepare(`
			INSERT INTO request_dims (signature, origin, provider, executor_type, model, alias, endpoint, auth_type, auth_index, source,
				client_key, client_key_hash, reasoning_effort, service_tier, tb_quality, family, series_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (signature) DO UPDATE SET signature = excluded.signature
			RETURNING id, family, series_id`);
		this.all = db.prepare<[string], DimRow>(`
			SELECT d.id, d.origin, d.provider, d.executor_type, d.model, d.alias, d.endpoint, d.auth_type, d.auth_index, d.source, d.client_key, d.client_key_hash,
				d.reasoning_effort, d.service_tier, d.tb_quality, d.family, d.series_id FROM request_dims d JOIN series s ON s.id = d.series_id WHERE s.instance = ?`);
	}

	/** The request's dims row's id. */
	idFor(r: UsageRecord): number {
		return this.entryFor(r, defaultFamily(r)).id;
	}

	/**
	 * Looked up by model and account, then field by field: building a signature per record costs
	 * more. The family is the pricer's (an account's provider can decide it for CPA v6 rows), and
	 * part of the row.
	 */
	entryFor(r: UsageRecord, family: TokenFamily): DimEntry {
		const index = (this.byModel ??= this.load());
		const quality = r.breakdown?.quality ?? null;
		let candidates = candidatesOf(index, r.model, r.authIndex);
		if (candidates) {
			for (const c of candidates) {
				const d = c.r;
				if (
					d.clientKeyHash === r.clientKeyHash && d.provider === r.provider && d.endpoint === r.endpoint && d.authIndex === r.authIndex &&
					d.source === r.source && d.alias === r.alias && d.origin === r.origin && d.executorType === r.executorType &&
					d.authType === r.authType && d.clientKeyMasked === r.clientKeyMasked && d.reasoningEffort === r.reasoningEffort &&
					d.serviceTier === r.serviceTier && d.quality === quality && c.e.family === family
				) {
					return c.e;
				}
			}
		} else {
			candidates = addCandidates(index, r.model, r.authIndex);
		}
		const f: DimFields = {
			origin: r.origin, provider: r.provider, executorType: r.executorType, model: r.model, alias: r.alias, endpoint: r.endpoint,
			authType: r.authType, authIndex: r.authIndex, source: r.source, clientKeyMasked: r.clientKeyMasked, clientKeyHash: r.clientKeyHash,
			reasoningEffort: r.reasoningEffort, serviceTier: r.serviceTier, quality,
		};
		const seriesId = this.series.idFor(requestSeries(f.provider, f.model, f.clientKeyMasked, f.endpoint, f.authIndex, f.serviceTier, this.instance));
		const row = this.insert.get(signatureOf(f, family, this.instance), f.origin, f.provider, f.executorType, f.model, f.alias, f.endpoint, f.authType, f.authIndex, f.source, f.clientKeyMasked, f.clientKeyHash, f.reasoningEffort, f.serviceTier, f.quality, family, seriesId) as {id: number; family: TokenFamily; series_id: number};
		const e: DimEntry = {id: row.id, seriesId: row.series_id, family: row.family};
		candidates.push({r: f, e});
		return e;
	}

	reset(): void {
		this.byModel = undefined;
	}

	private load(): Map<string, Map<string, Candidate[]>> {
		const index = new Map<string, Map<string, Candidate[]>>();
		for (const row of this.all.all(this.instance)) {
			const f: DimFields = {
				origin: row.origin as DimFields['origin'], provider: row.provider, executorType: row.executor_type, model: row.model, alias: row.alias,
				endpoint: row.endpoint, authType: row.auth_type, authIndex: row.auth_index, source: row.source, clientKeyMasked: row.client_key,
				clientKeyHash: row.client_key_hash, reasoningEffort: row.reasoning_effort, serviceTier: row.service_tier, quality: row.tb_quality,
			};
			const list = candidatesOf(index, f.model, f.authIndex) ?? addCandidates(index, f.model, f.authIndex);
			list.push({r: f, e: {id: row.id, seriesId: row.series_id, family: row.family as TokenFamily}});
		}
		return index;
	}
}

type Candidate = {r: DimFields; e: DimEntry};

function candidatesOf(index: Map<string, Map<string, Candidate[]>>, model: string, authIndex: string | null): Candidate[] | undefined {
	return index.get(model)?.get(authIndex ?? NULL);
}

function addCandidates(index: Map<string, Map<string, Candidate[]>>, model: string, authIndex: string | null): Candidate[] {
	let byAccount = index.get(model);
	if (!byAccount) index.set(model, (byAccount = new Map()));
	const list: Candidate[] = [];
	byAccount.set(authIndex ?? NULL, list);
	return list;
}

type DimFields = Pick<
	UsageRecord,
	'origin' | 'provider' | 'executorType' | 'model' | 'alias' | 'endpoint' | 'authType' | 'authIndex' | 'source' | 'clientKeyMasked' | 'clientKeyHash' | 'reasoningEffort' | 'serviceTier'
> & {quality: string | null};

type DimRow = {
	id: number;
	origin: string;
	provider: string | null;
	executor_type: string | null;
	model: string;
	alias: string | null;
	endpoint: string | null;
	auth_type: string | null;
	auth_index: string | null;
	source: string | null;
	client_key: string | null;
	client_key_hash: string | null;
	reasoning_effort: string | null;
	service_tier: string | null;
	tb_quality: string | null;
	family: string;
	series_id: number;
};

/** The unique text of a dims row: what makes two rows the same (the instance tag ends it, when not ''). */
export function signatureOf(f: DimFields, family: string, instance = ''): string {
	const parts = [f.origin, f.provider, f.executorType, f.model, f.alias, f.endpoint, f.authType, f.authIndex, f.source, f.clientKeyMasked, f.clientKeyHash, f.reasoningEffort, f.serviceTier, f.quality, family];
	if (instance !== '') parts.push(instance);
	return parts.map(v => (v === null ? NULL : v)).join(SEP);
}

/** Ids for price references ("litellm 2026-11-20: claude-sonnet-4-5"), likewise cached. */
export class PriceRefCache {
	private ids: Map<string, number> | undefined;
	private readonly insert;
	private readonly all;

	constructor(db: Db) {
		// Another process (prices reprice, a second collector) may have added the same ref since the map was read.
		this.insert = db.prepare<[string], {id: number}>('INSERT INTO price_refs (ref) VALUES (?) ON CONFLICT (ref) DO UPDATE SET ref = excluded.ref RETURNING id');
		this.all = db.prepare<[], {id: number; ref: string}>('SELECT id, ref FROM price_refs');
	}

	idFor(ref: string): number {
		this.ids ??= new Map(this.all.all().map(row => [row.ref, row.id]));
		let id = this.ids.get(ref);
		if (id === undefined) {
			id = this.insert.get(ref)!.id;
			this.ids.set(ref, id);
		}
		return id;
	}

	reset(): void {
		this.ids = undefined;
	}
}

/** The series a request rolls up into. */
export function requestSeries(provider: string | null, model: string, clientKeyMasked: string | null, endpoint: string | null, authIndex: string | null, serviceTier: string | null, instance = ''): SeriesKey {
	return {instance, provider: provider ?? '', model, api: apiLabel(clientKeyMasked, endpoint, provider), authIndex: authIndex ?? '', tier: billedTier(serviceTier)};
}

/** The series a legacy counter delta rolls up into: CPA's counters name only the API label and the model. */
export function counterSeries(api: string, model: string, instance = ''): SeriesKey {
	return {instance, provider: '', model, api, authIndex: '', tier: ''};
}
