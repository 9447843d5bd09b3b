import {FieldError, isObject, type Json} from '../cpa/fields.js';
import {anthropicWindowLabel} from './anthropic-headers.js';
import type {QuotaObservation, QuotaWindow} from './types.js';
import {round2} from './values.js';
import {familyLabel, minutesOfWindowId, windowIdForMinutes, windowLabel} from './window-class.js';

/**
 * The bodies of the providers' own quota endpoints, fetched through CPA's `api-call`. They are
 * undocumented and change without notice: every field is optional, unknown keys are ignored,
 * and a body with no usable window is an error naming what was missing. Identifying fields
 * (`email`, `user_id`, `account_id`) are never read.
 */

/** `GET api.anthropic.com/api/oauth/usage` window keys (utilisation 0–100, ISO resets) → our header slugs. */
const CLAUDE_KEYS: Record<string, string> = {
	five_hour: '5h',
	seven_day: '7d',
	seven_day_opus: '7d_opus',
	seven_day_sonnet: '7d_sonnet',
	seven_day_oauth_apps: '7d_oauth_apps',
	seven_day_cowork: '7d_cowork',
	iguana_necktie: '7d_oi',
};

const SCOPED_MODEL: Record<string, string> = {fable: '7d_oi', sonnet: '7d_sonnet', opus: '7d_opus'};

export function readClaudeUsage(body: unknown, at: number): QuotaObservation {
	const o = object(body, 'oauth/usage');
	const windows = new Map<string, QuotaWindow>();
	for (const [key, id] of Object.entries(CLAUDE_KEYS)) {
		const w = o[key];
		if (!isObject(w)) continue;
		const used = finite(w['utilization']);
		if (used === null) continue;
		windows.set(id, window(id, anthropicWindowLabel(id), used, isoInstant(w['resets_at']), at));
	}
	// The newer generic list; per-model weeklies (Fable) exist only here.
	if (Array.isArray(o['limits'])) {
		for (const l of o['limits']) {
			if (!isObject(l)) continue;
			const used = finite(l['percent']);
			const id = limitId(l);
			if (used === null || id === null || windows.has(id)) continue;
			const w = window(id, anthropicWindowLabel(id), used, isoInstant(l['resets_at']), at);
			if (l['severity'] === 'critical') w.status = 'warning';
			windows.set(id, w);
		}
	}
	const extra = o['extra_usage'];
	if (isObject(extra) && extra['is_enabled'] === true) {
		const limit = finite(extra['monthly_limit']);
		const usedCredits = finite(extra['used_credits']);
		const used = finite(extra['utilization']) ?? (limit && usedCredits !== null ? (usedCredits / limit) * 100 : null);
		if (used !== null) windows.set('extra_usage', {...window('extra_usage', 'extra usage', used, null, at), windowMinutes: null});
	}
	if (windows.size === 0) throw new FieldError('oauth/usage', 'no window with a utilization (five_hour, seven_day, limits[])');
	return {windows: [...windows.values()], plan: null, cooldownUntil: null};
}

function limitId(l: Json): string | null {
	const kind = l['kind'];
	if (kind === 'session') return '5h';
	if (kind === 'weekly_all') return '7d';
	if (kind !== 'weekly_scoped') return null;
	const scope = l['scope'];
	const model = isObject(scope) && isObject(scope['model']) ? scope['model']['display_name'] : null;
	if (typeof model !== 'string' || !/^[\w .-]{1,40}$/.test(model)) return null;
	const name = model.trim().toLowerCase().replace(/[^a-z0-9]+/g, '_');
	return SCOPED_MODEL[name] ?? `7d_${name}`;
}

/** `GET chatgpt.com/backend-api/wham/usage`: `rate_limit`, `code_review_rate_limit`, `additional_rate_limits[]`. */
export function readCodexUsage(body: unknown, at: number): QuotaObservation {
	const o = object(body, 'wham/usage');
	const windows: QuotaWindow[] = [];
	const add = (family: string, name: string | null, limit: unknown) => {
		if (!isObject(limit)) return;
		for (const key of ['primary_window', 'secondary_window']) {
			const w = limit[key];
			if (!isObject(w)) continue;
			const used = finite(w['used_percent']);
			const seconds = finite(w['limit_window_seconds']);
			if (used === null || seconds === null || seconds <= 0) continue;
			const klass = windowIdForMinutes(Math.round(seconds / 60));
			let id = family ? `${family}:${klass}` : klass;
			if (windows.some(x => x.id === id)) id = `${id}:2`;
			const resetAt = finite(w['reset_at']);
			const resetAfter = finite(w['reset_after_seconds']);
			const resetsAt = resetAt !== null && resetAt > 0 ? Math.round(resetAt * 1000) : resetAfter !== null && resetAfter >= 0 ? at + Math.round(resetAfter * 1000) : null;
			const label = family ? `${familyLabel(name ?? family)} ${windowLabel(klass)}` : windowLabel(klass);
			windows.push({id, label, usedPercent: round2(used), resetsAt, windowMinutes: Math.round(seconds / 60), status: used >= 100 || limit['limit_reached'] === true ? 'rejected' : null, observedAt: at, source: 'api'});
		}
	};
	add('', null, o['rate_limit']);
	add('code_review', 'code review', o['code_review_rate_limit']);
	if (Array.isArray(o['additional_rate_limits'])) {
		for (const extra of o['additional_rate_limits']) {
			if (!isObject(extra)) continue;
			const name = typeof extra['limit_name'] === 'string' ? extra['limit_name'].slice(0, 60) : null;
			const feature = typeof extra['metered_feature'] === 'string' ? extra['metered_feature'] : name;
			const family = (feature ?? 'extra').toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 40);
			add(family, name, extra['rate_limit']);
		}
	}
	if (windows.length === 0) throw new FieldError('wham/usage', 'no window with used_percent and limit_window_seconds (rate_limit.primary_window)');
	const plan = typeof o['plan_type'] === 'string' && /^[a-z0-9_-]{1,32}$/i.test(o['plan_type']) ? o['plan_type'].toLowerCase() : null;
	return {windows, plan, cooldownUntil: null};
}

/** Antigravity `retrieveUserQuotaSummary`: `groups[].buckets[]` with the fraction REMAINING. */
export function readAntigravityQuota(body: unknown, at: number): QuotaObservation {
	const o = object(body, 'retrieveUserQuotaSummary');
	const windows: QuotaWindow[] = [];
	for (const group of Array.isArray(o['groups']) ? o['groups'] : []) {
		if (!isObject(group) || !Array.isArray(group['buckets'])) continue;
		const groupName = typeof group['displayName'] === 'string' ? group['displayName'].slice(0, 40) : null;
		for (const b of group['buckets']) {
			if (!isObject(b)) continue;
			const remaining = finite(b['remainingFraction']);
			if (remaining === null) continue;
			const span = typeof b['window'] === 'string' ? b['window'].slice(0, 20) : '';
			const klass = span === 'weekly' ? '7d' : /^\d+[mhd]$/.test(span) ? span : span || 'window';
			const raw = typeof b['bucketId'] === 'string' ? b['bucketId'] : `${groupName ?? 'quota'}:${klass}`;
			const id = raw.toLowerCase().replace(/[^a-z0-9:_-]+/g, '_').slice(0, 60);
			const name = typeof b['displayName'] === 'string' ? b['displayName'].slice(0, 60) : `${groupName ?? 'quota'} ${windowLabel(klass)}`;
			windows.push({id, label: name, usedPercent: round2((1 - remaining) * 100), resetsAt: isoInstant(b['resetTime']), windowMinutes: minutesOfWindowId(klass), status: remaining <= 0 ? 'rejected' : null, observedAt: at, source: 'api'});
		}
	}
	if (windows.length === 0) throw new FieldError('retrieveUserQuotaSummary', 'no bucket with a remainingFraction (groups[].buckets[])');
	return {windows, plan: null, cooldownUntil: null};
}

function window(id: string, label: string, used: number, resetsAt: number | null, at: number): QuotaWindow {
	return {id, label, usedPercent: round2(used), resetsAt, windowMinutes: minutesOfWindowId(id), status: used >= 100 ? 'rejected' : null, observedAt: at, source: 'api'};
}

function object(body: unknown, what: string): Json {
	if (!isObject(body)) throw new FieldError(what, 'expected a JSON object');
	return body;
}

function finite(v: unknown): number | null {
	return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function isoInstant(v: unknown): number | null {
	if (typeof v !== 'string' || v.length > 64) return null;
	const ms = Date.parse(v);
	return Number.isFinite(ms) ? ms : null;
}
