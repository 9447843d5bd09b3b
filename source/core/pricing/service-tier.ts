import type {EstimateReason} from '../cpa/usage-record.js';
import type {ServiceTier} from './price-table.js';

/**
 * The service tier a request was billed in, from CPA's `response_service_tier` (what the
 * upstream answered) or else `service_tier` (what the client asked for): `priority` or `flex`;
 * null for the standard tier (`default`, `auto`, `standard`, empty, anything else).
 */
export function serviceTierOf(value: string | null): ServiceTier | null {
	if (value === null || value === '' || value === 'default' || value === 'auto') return null;
	if (value === 'priority' || value === 'flex') return value;
	const v = value.trim().toLowerCase();
	return v === 'priority' || v === 'flex' ? v : null;
}

/**
 * A stored price reference: `source@version:key`, then `#priority` / `#flex` when that service
 * tier's own prices applied, or `#priority=standard` / `#flex=standard` when the source has none
 * for the model and the standard prices were used, then `!reason` when the token split made the
 * cost an estimate (`!total-only`, `!unclassified`, `!lower-bound`, `!counter-only`).
 */
export function priceRef(ref: string, tier: ServiceTier | null, tierPriced: boolean, reason: EstimateReason | null): string {
	const t = tier === null ? '' : tierPriced ? `#${tier}` : `#${tier}=standard`;
	return `${ref}${t}${reason === null || reason === 'default-price' ? '' : `!${reason}`}`;
}

export type ReadRef = {ref: string; tier: ServiceTier | null; tierPriced: boolean; estimate: EstimateReason | null};

const REASONS: ReadonlySet<string> = new Set(['total-only', 'unclassified', 'lower-bound', 'counter-only']);

/** Reads back what `priceRef` wrote; a `_default` key is `default-price` whatever follows. */
export function readPriceRef(stored: string): ReadRef {
	let ref = stored;
	let estimate: EstimateReason | null = null;
	const bang = ref.lastIndexOf('!');
	if (bang >= 0 && REASONS.has(ref.slice(bang + 1))) {
		estimate = ref.slice(bang + 1) as EstimateReason;
		ref = ref.slice(0, bang);
	}
	let tier: ServiceTier | null = null;
	let tierPriced = false;
	const m = /#(priority|flex)(=standard)?$/.exec(ref);
	if (m) {
		tier = m[1] as ServiceTier;
		tierPriced = m[2] === undefined;
		ref = ref.slice(0, m.index);
	}
	if (ref.endsWith(':_default')) estimate = 'default-price';
	return {ref, tier, tierPriced, estimate};
}
