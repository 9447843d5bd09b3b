/** The stored facts about one credential that its state is derived from (times UTC epoch ms). */
export type AccountFacts = {
	cpaStatus: string | null;
	statusMessage: string | null;
	disabled: boolean;
	unavailable: boolean;
	nextRetryAfter: number | null;
	headerCooldownUntil: number | null;
	errorCooldownUntil: number | null;
	errorReason: string | null;
	/** Per-model cooldowns from the errors channel. */
	models: ReadonlyArray<{model: string; until: number | null; reason: string | null}>;
	/** When CPA's /auth-files last listed it; and when the last listing was read (null: never). */
	listedAt: number | null;
	lastListingAt: number | null;
};

export type AccountStateName = 'active' | 'cooling_down' | 'disabled' | 'error' | 'removed' | 'unknown';

export type AccountState = {
	state: AccountStateName;
	/** For `cooling_down`: when it ends, where known. */
	cooldownUntil: number | null;
	/** Why, in a few words (CPA's status message, the errors channel's reason). */
	reason: string | null;
	/** Models cooling down on their own while the account is usable. */
	modelCooldowns: Array<{model: string; until: number; reason: string | null}>;
};

/**
 * The state at `now`: disabled beats a cooldown still running beats error beats active. A
 * cooldown is the latest end any source reported (CPA's `next_retry_after`, a 429's headers, the
 * errors channel) that is still ahead; CPA's `unavailable` without an end is a cooldown of
 * unknown length. An account the last /auth-files listing left out is `removed`.
 */
export function accountState(f: AccountFacts, now: number): AccountState {
	const modelCooldowns = f.models
		.filter((m): m is {model: string; until: number; reason: string | null} => m.until !== null && m.until > now)
		.map(m => ({model: m.model, until: m.until, reason: m.reason}))
		.sort((a, b) => a.until - b.until);
	const base = {modelCooldowns};
	if (f.disabled || f.cpaStatus === 'disabled') return {...base, state: 'disabled', cooldownUntil: null, reason: f.statusMessage};
	if (f.lastListingAt !== null && f.listedAt !== null && f.listedAt < f.lastListingAt) return {...base, state: 'removed', cooldownUntil: null, reason: 'no longer listed by CPA'};
	const ends = [f.nextRetryAfter, f.headerCooldownUntil, f.errorCooldownUntil].filter((t): t is number => t !== null && t > now);
	if (ends.length > 0) {
		const reason = f.errorCooldownUntil !== null && f.errorCooldownUntil > now ? f.errorReason : f.headerCooldownUntil !== null && f.headerCooldownUntil > now ? 'rate limited (429)' : f.statusMessage;
		return {...base, state: 'cooling_down', cooldownUntil: Math.max(...ends), reason};
	}
	if (f.unavailable) return {...base, state: 'cooling_down', cooldownUntil: null, reason: f.statusMessage};
	// CPA marks a credential in error while it cools down too: the cooldown, which ends, says more.
	if (f.cpaStatus === 'error') return {...base, state: 'error', cooldownUntil: null, reason: f.statusMessage};
	if (f.listedAt === null && f.cpaStatus === null) return {...base, state: 'unknown', cooldownUntil: null, reason: null};
	return {...base, state: 'active', cooldownUntil: null, reason: null};
}
