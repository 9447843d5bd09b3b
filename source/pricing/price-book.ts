import {PriceIndex, type PriceMatch} from '../core/pricing/price-index.js';
import type {CompiledPrice, CompiledRates, PriceTable, ServiceTier} from '../core/pricing/price-table.js';
import {requestCostUsd, tokenEstimate, tokenTotalCostUsd, type TokenEstimate} from '../core/pricing/request-cost.js';
import {priceRef, serviceTierOf} from '../core/pricing/service-tier.js';
import {familyNamedByModel, familyOfEndpoint, familyOfProvider, type TokenFamily} from '../core/pricing/token-family.js';
import type {Pricer, PriceResult, UsageRecord} from '../core/cpa/usage-record.js';

type Priced = {
	compiled: CompiledPrice;
	ref: string;
	estimated: boolean;
	/** `claude` or `gemini` when the model name says so. */
	named: TokenFamily | null;
	/** The references with a tier and an estimate reason, made once each (see `refFor`). */
	refs: Array<string | undefined>;
};

const TIERS: ReadonlyArray<ServiceTier | null> = [null, 'priority', 'flex'];
const ESTIMATES: ReadonlyArray<TokenEstimate | 'counter-only' | null> = [null, 'total-only', 'unclassified', 'lower-bound', 'counter-only'];

/**
 * The pricer the collector calls for every request. Matching runs once per distinct model
 * name and is cached, as is the token family per provider, so pricing a record is two map
 * lookups and a few multiplications. `setTables` swaps the whole index (a fetch succeeded,
 * an override changed); requests already stored keep the price they were given.
 *
 * A request in the `priority` or `flex` service tier is priced from that tier's prices where
 * the source has them, else at the standard prices; its reference says which.
 */
export class PriceBook implements Pricer {
	private index: PriceIndex;
	private current: readonly PriceTable[];
	private readonly models = new Map<string, Priced>();
	private readonly families = new Map<string, Map<string, TokenFamily>>();
	private accounts = new Map<string, TokenFamily>();
	private readonly endpoints = new Map<string, TokenFamily | null>();
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

	/**
	 * The provider of each credential (`auth_index` → `claude`, `antigravity`, `codex` …, as
	 * `/auth-files` lists them): rows that name no provider (CPA v6) take their account's.
	 */
	setAccountProviders(providers: Iterable<readonly [authIndex: string, provider: string]>): void {
		const accounts = new Map<string, TokenFamily>();
		for (const [authIndex, provider] of providers) {
			const family = familyOfProvider(provider, null);
			if (family) accounts.set(authIndex, family);
		}
		this.accounts = accounts;
	}

	/** The full explanation of a name's price (not cached): for `prices show`. */
	match(model: string): PriceMatch {
		return this.index.match(model);
	}

	/** Models priced at `_default` since this book was made. */
	unknownModels(): string[] {
		return [...this.unknown].sort();
	}

	/** How a record's token fields are read: what pricing bills them as, and what every view counts them as. */
	familyOf(r: UsageRecord): TokenFamily {
		let p = this.models.get(r.model) ?? this.resolve(r.model);
		if (p.estimated) p = this.rescue(r, p);
		return this.family(r, p);
	}

	priceRecord(r: UsageRecord): PriceResult {
		let p = this.models.get(r.model) ?? this.resolve(r.model);
		if (p.estimated) p = this.rescue(r, p);
		const family = this.family(r, p);
		const tier = r.serviceTier === null ? 0 : TIERS.indexOf(serviceTierOf(r.serviceTier));
		const rates: CompiledRates | null = tier === 0 ? p.compiled : tier === 1 ? p.compiled.priority : p.compiled.flex;
		const why = tokenEstimate(family, r.tokens, r.breakdown);
		return {
			costUsd: requestCostUsd(rates ?? p.compiled, family, r.tokens, r.breakdown),
			estimated: p.estimated || why !== null,
			ref: this.refFor(p, tier, ESTIMATES.indexOf(why)),
			estimate: p.estimated ? 'default-price' : why,
		};
	}

	/** Counter deltas know only a total: always estimated, whatever the match. */
	priceTokenTotal(model: string, totalTokens: number): PriceResult {
		const p = this.models.get(model) ?? this.resolve(model);
		if (p.estimated) this.noteUnknown(model);
		return {costUsd: tokenTotalCostUsd(p.compiled, totalTokens), estimated: true, ref: this.refFor(p, 0, 4), estimate: p.estimated ? 'default-price' : 'counter-only'};
	}

	private refFor(p: Priced, tier: number, why: number): string {
		const i = tier * ESTIMATES.length + why;
		let ref = p.refs[i];
		if (ref === undefined) {
			const name = TIERS[tier]!;
			const priced = name === null ? false : p.compiled[name] !== null;
			ref = p.refs[i] = priceRef(p.ref, name, priced, ESTIMATES[why]!);
		}
		return ref;
	}

	/** A row without a provider: its account's, else what its model name says, else its API path's, else OpenAI's. */
	private inferred(r: UsageRecord, p: Priced): TokenFamily {
		const account = r.authIndex === null ? undefined : this.accounts.get(r.authIndex);
		if (account !== undefined) return account;
		if (p.named !== null) return p.named;
		if (r.endpoint === null) return 'openai';
		let family = this.endpoints.get(r.endpoint);
		if (family === undefined) this.endpoints.set(r.endpoint, (family = familyOfEndpoint(r.endpoint)));
		return family ?? 'openai';
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
		const p: Priced = {compiled: m.compiled, ref: m.ref, estimated: m.estimated, named: familyNamedByModel(model), refs: []};
		this.models.set(model, p);
		return p;
	}

	private family(r: UsageRecord, p: Priced): TokenFamily {
		return r.provider === null || r.provider === '' ? this.inferred(r, p) : this.familyOfProvider(r.provider, r.executorType, p.named ?? 'openai');
	}

	private familyOfProvider(provider: string, executorType: string | null, fallback: TokenFamily): TokenFamily {
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
