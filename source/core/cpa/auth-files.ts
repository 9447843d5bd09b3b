import {FieldError, isObject, type Json} from './fields.js';
import {parseTimestamp} from '../time/timestamp.js';

/** One credential as CPA's `/auth-files` lists it, less everything secret or needless. */
export type AuthFileEntry = {
	authIndex: string;
	label: string;
	provider: string | null;
	/** `oauth` or `api_key` where CPA says. */
	accountType: string | null;
	plan: string | null;
	/** CPA's own: active, error, disabled, pending, refreshing, unknown. */
	status: string | null;
	statusMessage: string | null;
	disabled: boolean;
	/** Cooling down at the credential level (CPA's `unavailable`), until `nextRetryAfter` when known. */
	unavailable: boolean;
	nextRetryAfter: number | null;
	/** CPA's in-memory request counters since its start. */
	success: number | null;
	failed: number | null;
	/** Needed at call time only (`Chatgpt-Account-Id`, Antigravity's project): never stored. */
	callIds: {chatgptAccountId: string | null; projectId: string | null};
};

const INDEX = /^[0-9a-f]{1,64}$/i;
const MAX_TEXT = 200;

/**
 * `GET /v0/management/auth-files` → `{"files":[…]}`. Label: the e-mail, else CPA's label, else
 * the file name without `.json`, else the auth index. Never read: `account` (for an API-key
 * credential it is the raw key), `path`, tokens. Entries without an `auth_index` (CPA listing
 * files from disk) cannot be matched to records and are left out, and the listing is then not
 * `complete`: it cannot say which accounts are gone.
 */
export function readAuthFiles(payload: unknown): {entries: AuthFileEntry[]; complete: boolean} {
	if (!isObject(payload) || !Array.isArray(payload['files'])) throw new FieldError('files', 'expected {"files": [...]}');
	const out: AuthFileEntry[] = [];
	const seen = new Set<string>();
	let complete = true;
	for (const f of payload['files']) {
		if (!isObject(f)) continue;
		const authIndex = str(f, 'auth_index');
		if (!authIndex || !INDEX.test(authIndex)) {
			complete = false;
			continue;
		}
		if (seen.has(authIndex)) continue;
		seen.add(authIndex);
		const name = str(f, 'name') ?? str(f, 'id');
		const accountType = str(f, 'account_type');
		const idToken = isObject(f['id_token']) ? f['id_token'] : null;
		out.push({
			authIndex,
			label: str(f, 'email') ?? str(f, 'label') ?? (name ? name.replace(/\.json$/i, '') : null) ?? authIndex,
			provider: lowerToken(str(f, 'provider') ?? str(f, 'type')),
			accountType: accountType === 'oauth' || accountType === 'api_key' ? accountType : null,
			plan: lowerToken(idToken ? str(idToken, 'plan_type') : null),
			status: lowerToken(str(f, 'status')),
			statusMessage: str(f, 'status_message'),
			disabled: f['disabled'] === true,
			unavailable: f['unavailable'] === true,
			nextRetryAfter: instant(str(f, 'next_retry_after')),
			success: count(f['success']),
			failed: count(f['failed']),
			callIds: {chatgptAccountId: idToken ? str(idToken, 'chatgpt_account_id') : null, projectId: str(f, 'project_id')},
		});
	}
	return {entries: out, complete};
}

/** Config API keys are not in auth-files: `GET /v0/management/<kind>-api-key` lists them, each with an `auth-index`. */
export const API_KEY_LISTS = ['claude-api-key', 'codex-api-key', 'gemini-api-key', 'vertex-api-key', 'xai-api-key', 'openai-compatibility'] as const;
export type ApiKeyList = (typeof API_KEY_LISTS)[number];

const LIST_PROVIDER: Record<ApiKeyList, string> = {'claude-api-key': 'claude', 'codex-api-key': 'codex', 'gemini-api-key': 'gemini', 'vertex-api-key': 'vertex', 'xai-api-key': 'xai', 'openai-compatibility': 'openai-compatibility'};

/**
 * One such list → accounts labelled by what is not secret: the user's `name` or `prefix`, else
 * the base URL's host, else the list's own name. The `api-key` values are never read.
 */
export function readApiKeyList(list: ApiKeyList, payload: unknown): AuthFileEntry[] {
	if (!isObject(payload)) throw new FieldError(list, 'expected a JSON object');
	const entries = payload[list];
	if (entries === null || entries === undefined) return [];
	if (!Array.isArray(entries)) throw new FieldError(list, 'expected a list');
	const out: AuthFileEntry[] = [];
	for (const e of entries) {
		if (!isObject(e)) continue;
		const authIndex = str(e, 'auth-index') ?? str(e, 'auth_index');
		if (!authIndex || !INDEX.test(authIndex)) continue;
		const host = hostOf(str(e, 'base-url'));
		const provider = LIST_PROVIDER[list];
		const named = str(e, 'name') ?? str(e, 'prefix');
		out.push({
			authIndex,
			label: named ?? (host ? `${provider} key @ ${host}` : `${provider} API key`),
			provider,
			accountType: 'api_key',
			plan: null,
			status: null,
			statusMessage: null,
			disabled: e['disabled'] === true,
			unavailable: false,
			nextRetryAfter: null,
			success: null,
			failed: null,
			callIds: {chatgptAccountId: null, projectId: null},
		});
	}
	return out;
}

function str(o: Json, key: string): string | null {
	const v = o[key];
	if (typeof v !== 'string') return null;
	const t = v.trim();
	return t === '' ? null : t.slice(0, MAX_TEXT);
}

function lowerToken(v: string | null): string | null {
	return v && /^[a-z0-9_.-]{1,40}$/i.test(v) ? v.toLowerCase() : null;
}

function count(v: unknown): number | null {
	return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : null;
}

function instant(v: string | null): number | null {
	if (!v) return null;
	return parseTimestamp(v)?.ms ?? null;
}

function hostOf(url: string | null): string | null {
	if (!url) return null;
	try {
		return new URL(url).host || null;
	} catch {
		return null;
	}
}
