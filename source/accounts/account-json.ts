import type {AccountView} from '../core/quota/account-view.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** An account as `GET /api/data/accounts` and `accounts --json` give it: snake_case, ISO times. */
export function accountJson(a: AccountView) {
	return {
		auth_index: a.cpaAuthIndex ?? a.authIndex,
		/** The CPA serving it (its configured name): accounts are (instance, auth_index). */
		instance: a.instance ?? '',
		label: a.label,
		provider: a.provider,
		plan: a.plan,
		account_type: a.accountType,
		state: a.state,
		cooldown_until: iso(a.cooldownUntil),
		reason: a.reason,
		model_cooldowns: a.modelCooldowns.map(m => ({model: m.model, until: iso(m.until), reason: m.reason})),
		last_request_at: iso(a.lastRequestAt),
		usage: {
			requests: a.usage.requests,
			failed: a.usage.failed,
			rate_limited: a.usage.rateLimited,
			cancelled: a.usage.cancelled,
			tokens: a.usage.tokens,
			cost_usd: a.usage.costUsd,
			estimated_requests: a.usage.estimatedRequests,
		},
		quotas: a.quotas.map(q => ({
			window: q.id,
			label: q.label,
			used_percent: q.usedPercent,
			resets_at: iso(q.resetsAt),
			status: q.status,
			source: q.source,
			observed_at: iso(q.observedAt),
			age_seconds: Math.round(q.ageMs / 1000),
			rate_per_hour: q.ratePerHour,
			projected_exhaustion_at: iso(q.projectedExhaustionAt),
		})),
	};
}

export type AccountJson = ReturnType<typeof accountJson>;
