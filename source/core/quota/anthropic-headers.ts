import type {QuotaHeaders} from './headers.js';
import type {QuotaObservation, QuotaStatus, QuotaWindow} from './types.js';
import {instant, num, retryAfterUntil, round2} from './values.js';
import {minutesOfWindowId} from './window-class.js';

const UNIFIED = 'anthropic-ratelimit-unified-';
const WINDOW_FIELD = /^(\d+[hd](?:_[a-z0-9_]+)?)-(status|reset|utilization|surpassed-threshold)$/;

/** Slug → label. A slug with a suffix (`7d_oi`, `7d_sonnet`) is a per-model bucket. */
const KNOWN: Record<string, string> = {'5h': '5h', '7d': 'weekly', '7d_oi': 'weekly Fable', '7d_sonnet': 'weekly Sonnet', '7d_opus': 'weekly Opus'};

export function anthropicWindowLabel(slug: string): string {
	const known = KNOWN[slug];
	if (known) return known;
	const [base, ...rest] = slug.split('_');
	const head = base === '7d' ? 'weekly' : base!;
	return rest.length > 0 ? `${head} ${rest.join(' ')}` : head;
}

export function anthropicStatus(value: string | undefined): QuotaStatus | null {
	if (value === 'allowed') return 'allowed';
	if (value === 'allowed_warning') return 'warning';
	if (value === 'rejected') return 'rejected';
	return null;
}

/**
 * Claude OAuth accounts: the `anthropic-ratelimit-unified-*` family. Utilisation is a fraction
 * (0.35 = 35 %, past 1.0 in overage), resets are epoch seconds. A window is kept when its
 * utilisation is known (or it is rejected, which means used up). The account is cooling down
 * when an account-wide window (5h, 7d) is rejected: until the latest such reset or the
 * Retry-After, whichever is later, as CPA computes it; a per-model bucket (`7d_oi`) rejected
 * alone refuses only that model.
 */
export function readAnthropicUnified(h: QuotaHeaders, at: number, statusCode: number | null): QuotaObservation {
	const slugs = new Map<string, {status?: string; reset?: string; utilization?: string}>();
	for (const [name, value] of h) {
		if (!name.startsWith(UNIFIED)) continue;
		const m = WINDOW_FIELD.exec(name.slice(UNIFIED.length));
		if (!m) continue;
		const field = m[2] === 'surpassed-threshold' ? null : (m[2] as 'status' | 'reset' | 'utilization');
		if (!field) continue;
		let s = slugs.get(m[1]!);
		if (!s) slugs.set(m[1]!, (s = {}));
		s[field] = value;
	}
	const windows: QuotaWindow[] = [];
	for (const [slug, s] of slugs) {
		const status = anthropicStatus(s.status);
		const utilization = num(s.utilization);
		const usedPercent = utilization !== null ? round2(utilization * 100) : status === 'rejected' ? 100 : null;
		if (usedPercent === null || usedPercent < 0) continue;
		windows.push({id: slug, label: anthropicWindowLabel(slug), usedPercent, resetsAt: instant(s.reset), windowMinutes: minutesOfWindowId(slug), status, observedAt: at, source: 'headers'});
	}
	const rejected = windows.filter(w => w.status === 'rejected');
	const accountWide = rejected.filter(w => !w.id.includes('_'));
	const modelScopedOnly = rejected.length > 0 && accountWide.length === 0;
	let cooldown: number | null = null;
	for (const w of accountWide) if (w.resetsAt !== null) cooldown = Math.max(cooldown ?? 0, w.resetsAt);
	if ((accountWide.length > 0 || statusCode === 429) && !modelScopedOnly) {
		const retry = retryAfterUntil(h.get('retry-after'), at);
		if (retry !== null) cooldown = Math.max(cooldown ?? 0, retry);
	}
	return {windows, plan: null, cooldownUntil: cooldown};
}

const API_KINDS = ['requests', 'tokens', 'input-tokens', 'output-tokens'] as const;

/**
 * Claude API-key accounts: the classic `anthropic-ratelimit-{requests,tokens,…}-{limit,remaining,reset}`
 * (resets in RFC 3339). Used share = (limit − remaining) / limit.
 */
export function readAnthropicApiKey(h: QuotaHeaders, at: number, statusCode: number | null): QuotaObservation {
	const windows: QuotaWindow[] = [];
	for (const kind of API_KINDS) {
		const limit = num(h.get(`anthropic-ratelimit-${kind}-limit`));
		const remaining = num(h.get(`anthropic-ratelimit-${kind}-remaining`));
		if (limit === null || remaining === null || limit <= 0 || remaining < 0) continue;
		const usedPercent = round2(((limit - Math.min(remaining, limit)) / limit) * 100);
		windows.push({
			id: `api_${kind.replace('-', '_')}`,
			label: `API ${kind.replace('-', ' ')}`,
			usedPercent,
			resetsAt: instant(h.get(`anthropic-ratelimit-${kind}-reset`)),
			windowMinutes: null,
			status: remaining <= 0 ? 'rejected' : null,
			observedAt: at,
			source: 'headers',
		});
	}
	const cooldownUntil = statusCode === 429 ? retryAfterUntil(h.get('retry-after'), at) : null;
	return {windows, plan: null, cooldownUntil};
}
