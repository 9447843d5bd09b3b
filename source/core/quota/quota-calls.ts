import type {QuotaObservation} from './types.js';
import {readAntigravityQuota, readClaudeUsage, readCodexUsage} from './usage-endpoints.js';

/** The body of CPA's `POST /v0/management/api-call`. CPA puts the credential's token where `$TOKEN$` is. */
export type ApiCallRequest = {auth_index: string; method: 'GET' | 'POST'; url: string; header: Record<string, string>; data?: string};

/** What the poller needs to know of an account, read fresh from `/auth-files` (the ids are never stored). */
export type PollTarget = {authIndex: string; provider: string | null; accountType: string | null; chatgptAccountId?: string | null; projectId?: string | null};

export type QuotaCall = {
	kind: 'claude' | 'codex' | 'antigravity';
	/** Tried in order until one answers 2xx (Antigravity has three hosts). */
	requests: ApiCallRequest[];
	read: (body: unknown, at: number) => QuotaObservation;
};

/**
 * Anthropic's usage endpoint puts callers without a Claude Code User-Agent in a much stricter
 * bucket (quota-sources.md §5.6), and CPA's api-call sends Go's default unless told.
 */
export const CLAUDE_CODE_USER_AGENT = 'claude-code/2.1.0';
export const CODEX_USER_AGENT = 'codex_cli_rs/0.76.0';
export const ANTIGRAVITY_USER_AGENT = 'antigravity/cli/1.0.13';

const ANTIGRAVITY_HOSTS = ['https://daily-cloudcode-pa.googleapis.com', 'https://daily-cloudcode-pa.sandbox.googleapis.com', 'https://cloudcode-pa.googleapis.com'];

/**
 * The read-only quota call for an account, or null when its provider has none we know (or it
 * is an API key, whose limits arrive in headers only). Never a write endpoint: no
 * `reset-quota`, no credit `consume`.
 */
export function quotaCallFor(t: PollTarget): QuotaCall | null {
	if (t.accountType === 'api_key') return null;
	const auth = {Authorization: 'Bearer $TOKEN$'};
	if (t.provider === 'claude') {
		return {
			kind: 'claude',
			requests: [{auth_index: t.authIndex, method: 'GET', url: 'https://api.anthropic.com/api/oauth/usage', header: {...auth, Accept: 'application/json', 'Content-Type': 'application/json', 'anthropic-beta': 'oauth-2025-04-20', 'User-Agent': CLAUDE_CODE_USER_AGENT}}],
			read: readClaudeUsage,
		};
	}
	if (t.provider === 'codex') {
		const header: Record<string, string> = {...auth, Accept: 'application/json', 'Content-Type': 'application/json', 'User-Agent': CODEX_USER_AGENT};
		if (t.chatgptAccountId) header['Chatgpt-Account-Id'] = t.chatgptAccountId;
		return {kind: 'codex', requests: [{auth_index: t.authIndex, method: 'GET', url: 'https://chatgpt.com/backend-api/wham/usage', header}], read: readCodexUsage};
	}
	if (t.provider === 'antigravity' && t.projectId) {
		const data = JSON.stringify({project: t.projectId});
		return {
			kind: 'antigravity',
			requests: ANTIGRAVITY_HOSTS.map(host => ({auth_index: t.authIndex, method: 'POST' as const, url: `${host}/v1internal:retrieveUserQuotaSummary`, header: {...auth, 'Content-Type': 'application/json', 'User-Agent': ANTIGRAVITY_USER_AGENT}, data})),
			read: readAntigravityQuota,
		};
	}
	return null;
}
