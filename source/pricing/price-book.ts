import {PriceIndex, type PriceMatch} from '../core/pricing/price-index.js';
import type {CompiledPrice, PriceTable} from '../core/pricing/price-table.js';
import {requestCostUsd, tokenTotalCostUsd} from '../core/pricing/request-cost.js';
import {familyOfModel, familyOfProvider, type TokenFamily} from '../core/pricing/token-family.js';
import type {Pricer, PriceResult, UsageRecord} from '../core/cpa/usage-record.js';

type Priced = {compiled: CompiledPrice; ref: string; estimated: boolean; family: TokenFamily};

/**
 * The pricer the collector calls for every request. Matching runs once per distinct model
 * name and is cached, as is the token family per provider, so pricing a record is two map
 * lookups and a few multiplications. `setTables` swaps the whole index (a fetch succeeded,
 * an override changed); requests already stored keep the price they were given.
 */
export class PriceBook implements Pricer {
	private index: PriceIndex;
	private current: readonly PriceTable[];
	private readonly models = new Map<string, Priced>();
	private readonly families = new Map<string, Map<string, TokenFamily>>();
	private readonly unknown = new Set<string>();

	/** `onUnknown` hears once about each model that had to be priced at `_default`. */
	constructor(
		tables: readonly PriceTable[],
		private readonly onUnknown: (model: string, match: PriceMatch) => void = () => {},
	) {
		this.current = tables;
		this.index = new PriceIndex(tables);
	}

	/** Most trusted first. */
	get tables(): readonly PriceTable[] {
		return this.current;
	}

	setTables(tables: readonly PriceTable[]): void {
		this.current = tables;
		this.index = new PriceIndex(tables);
		this.models.clear();
	}

	/** The full explanation of a name's price (not cached): for `prices show`. */
	match(model: string): PriceMatch {
		return this.index.match(model);
	}

	/** Models priced at `_default` since this book was made. */
	unknownModels(): string[] {
		return [...this.unknown].sort();
	}

	priceRecord(r: UsageRecord): PriceResult {
		let p = this.models.get(r.model) ?? this.resolve(r.model);
		if (p.estimated) p = this.rescue(r, p);
		const family = r.provider === null || r.provider === '' ? p.family : this.familyOf(r.provider, r.executorType, p.family);
		return {costUsd: requestCostUsd(p.compiled, family, r.tokens, r.breakdown), estimated: p.estimated, ref: p.ref};
	}

	/** Counter deltas know only a total: always estimated, whatever the match. */
	priceTokenTotal(model: string, totalTokens: number): PriceResult {
		const p = this.models.get(model) ?? this.resolve(model);
		if (p.estimated) this.noteUnknown(model);
		return {costUsd: tokenTotalCostUsd(p.compiled, totalTokens), estimated: true, ref: p.ref};
	}

	/** An unknown upstream id whose requested alias is known is priced as the alias. */
	private rescue(r: UsageRecord, p: Priced): Priced {
		if (r.alias !== null && r.alias !== r.model) {
			const a = this.models.get(r.alias) ?? this.resolve(r.alias);
			if (!a.estimated) return a;
		}
		this.noteUnknown(r.model);
		return p;
	}

	private noteUnknown(model: string): void {
		if (this.unknown.has(model)) return;
		this.unknown.add(model);
		this.onUnknown(model, this.index.match(model));
	}

	private resolve(model: string): Priced {
		const m = this.index.match(model);
		const p = {compiled: m.compiled, ref: m.ref, estimated: m.estimated, family: familyOfModel(model)};
		this.models.set(model, p);
		return p;
	}

	private familyOf(provider: string, executorType: string | null, fallback: TokenFamily): TokenFamily {
		let byExecutor = this.families.get(provider);
		if (!byExecutor) this.families.set(provider, (byExecutor = new Map()));
		const key = executorType ?? '';
		let family = byExecutor.get(key);
		if (family === undefined) {
			family = familyOfProvider(provider, executorType) ?? fallback;
			byExecutor.set(key, family);
		}
		return family;
	}
}
