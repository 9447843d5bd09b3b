import {addSums, zeroSums, type Sums} from './sums.js';

/**
 * What the rollups are kept per: one (instance, provider, model, api, account, tier). `api` is
 * CPA's own label for where a request came in (its statsKey: the masked client key, else the
 * endpoint, else the provider), as the original collector's daily breakdown named them;
 * `authIndex` is the credential ('' when CPA named none); `tier` the service tier billed
 * (`priority`, `flex`; '' standard); `instance` the CPA it came from ('' the only one).
 */
export type Series = {id: number; instance: string; provider: string; model: string; api: string; authIndex: string; tier: string};
export type SeriesKey = Omit<Series, 'id'>;

/** Sums per series id, as a read of the rollups gives them. */
export type SeriesSums = ReadonlyMap<number, Sums>;

export type SeriesLookup = (id: number) => Series | undefined;

const UNKNOWN: Series = {id: 0, instance: '', provider: '', model: 'unknown', api: 'unknown', authIndex: '', tier: ''};

/** Sums grouped by whatever `key` makes of each series; `label` keeps the first series seen per key. */
export function groupSums<K>(sums: SeriesSums, lookup: SeriesLookup, key: (s: Series) => K): Map<K, {series: Series; sums: Sums}> {
	const out = new Map<K, {series: Series; sums: Sums}>();
	for (const [id, s] of sums) {
		const series = lookup(id) ?? UNKNOWN;
		const k = key(series);
		let g = out.get(k);
		if (!g) out.set(k, (g = {series, sums: zeroSums()}));
		addSums(g.sums, s);
	}
	return out;
}

/** Only the series of one stored instance tag (`undefined`: all of them). */
export function instanceSums(sums: SeriesSums, lookup: SeriesLookup, tag: string | undefined): SeriesSums {
	if (tag === undefined) return sums;
	const out = new Map<number, Sums>();
	for (const [id, s] of sums) if ((lookup(id) ?? UNKNOWN).instance === tag) out.set(id, s);
	return out;
}

/** Adds several reads together. */
export function mergeSums(parts: readonly SeriesSums[]): Map<number, Sums> {
	const out = new Map<number, Sums>();
	for (const part of parts) {
		for (const [id, s] of part) {
			let into = out.get(id);
			if (!into) out.set(id, (into = zeroSums()));
			addSums(into, s);
		}
	}
	return out;
}
