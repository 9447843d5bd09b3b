import {createHmac} from 'node:crypto';

const KNOWN_PREFIX = /^(sk-ant-[a-z0-9]+-|sk-proj-|sk-or-v1-|sk-|xai-|gsk_|AIza|ya29\.|pk-|rk-)/;

/**
 * `sk-…abcd`: enough to tell keys apart on screen, not enough to use one. Short keys show
 * nothing of themselves, because four characters of an eight-character key is half of it.
 */
export function maskSecret(secret: string): string {
	if (secret.length < 12) return '…';
	const prefix = KNOWN_PREFIX.exec(secret)?.[0] ?? '';
	return `${prefix.slice(0, 7)}…${secret.slice(-4)}`;
}

/** A keyed hash, so equal keys group together but a weak key cannot be guessed back. */
export function hashSecret(secret: string, salt: string): string {
	return createHmac('sha256', salt).update(secret).digest('hex').slice(0, 16);
}

/**
 * CPA's `source` names the upstream credential: an email, a project id, or, for API-key
 * credentials, the provider key itself. Anything that is not an email and looks like a
 * credential is masked.
 */
export function looksLikeCredential(value: string): boolean {
	if (value.includes('@') || value.includes(' ')) return false;
	if (KNOWN_PREFIX.test(value)) return true;
	return value.length >= 24 && /^[A-Za-z0-9_\-.=+/]+$/.test(value) && /\d/.test(value) && /[A-Za-z]/.test(value);
}

/** CPA keys `/usage` APIs by client key, else "METHOD /path". Only the latter is shown as is. */
export function isEndpointLabel(value: string): boolean {
	return /^[A-Z]+ \//.test(value);
}

let identitySalt = '';
const identities = new Map<string, {masked: string; hash: string}>();

/**
 * Masked form and keyed hash of a client key. A proxy has few distinct keys and sees them on
 * every record, so both are remembered (bounded) rather than recomputed per record.
 */
export function clientKeyIdentity(secret: string, salt: string): {masked: string; hash: string} {
	if (salt !== identitySalt) {
		identities.clear();
		identitySalt = salt;
	}
	let id = identities.get(secret);
	if (!id) {
		if (identities.size >= 4096) identities.clear();
		id = {masked: maskSecret(secret), hash: hashSecret(secret, salt)};
		identities.set(secret, id);
	}
	return id;
}

/**
 * `source` as shown and stored (a credential masked) and as it enters a dedupe key (a
 * credential replaced by its keyed hash, so the key text holds no secret).
 */
export function sourceIdentity(source: string | null, salt: string): {shown: string | null; keyed: string | null} {
	if (source === null || !looksLikeCredential(source)) return {shown: source, keyed: source};
	const id = clientKeyIdentity(source, salt);
	return {shown: id.masked, keyed: id.hash};
}
