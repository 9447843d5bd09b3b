/** Where an official quota figure came from. */
export type QuotaSource = 'headers' | 'api' | 'errors';

/** The provider's word for a window: `allowed_warning` is `warning` here. */
export type QuotaStatus = 'allowed' | 'warning' | 'rejected';

/**
 * One of a provider's own windows for one account, as last observed. Percentages are 0–100
 * and may pass 100 (Anthropic reports utilisation past 1.0 in overage). Times are UTC epoch ms.
 */
export type QuotaWindow = {
	/** Stable within an account: `5h`, `7d`, `7d_oi`, `30d`, `bengalfox:5h`, `api_tokens`, `extra_usage`. */
	id: string;
	/** For people: `5h`, `weekly`, `weekly Fable`, `monthly`, `GPT-5.3-Codex-Spark 5h`. */
	label: string;
	usedPercent: number;
	resetsAt: number | null;
	/** The window's length when the provider says or the id implies it. */
	windowMinutes: number | null;
	status: QuotaStatus | null;
	observedAt: number;
	source: QuotaSource;
};

/** What one response (or one quota call) says about an account. */
export type QuotaObservation = {
	windows: QuotaWindow[];
	/** `pro`, `plus`, `max`, … where the provider names it. */
	plan: string | null;
	/** Until when the provider refuses the whole account (a 429's Retry-After, or a rejected account-wide window). */
	cooldownUntil: number | null;
};

export const EMPTY_OBSERVATION: QuotaObservation = Object.freeze({windows: [], plan: null, cooldownUntil: null}) as QuotaObservation;
