import {hash} from 'node:crypto';
import {murmur128} from './fast-hash.js';
import type {TokenCounts} from './usage-record.js';

const SEP = '\u001F';

/**
 * CPA's own import key (api, model, timestamp, source, auth_index, failed, token counts),
 * plus request_id where present: CPA's request ids are 8 hex digits and collide, so they
 * only ever narrow the key, never replace it. Callers pass secrets (a client key as the api,
 * a provider key as the source) already replaced by their keyed hash, so the text holds none.
 */
export function importKey(
	api: string,
	model: string,
	canonicalTimestamp: string,
	source: string | null,
	authIndex: string | null,
	failed: boolean,
	tokens: TokenCounts,
	requestId: string | null,
): string {
	// join() yields a flat string; a concatenated rope would be flattened again by the hash.
	const parts = [api, model, canonicalTimestamp, source ?? '', authIndex ?? '', failed ? '1' : '0', tokens.input, tokens.output, tokens.reasoning, tokens.cached, tokens.total];
	if (requestId) parts.push(requestId);
	return parts.join(SEP);
}

/**
 * The stored form of an import key: 6 bytes of big-endian timestamp (ms), then 10 bytes of a
 * 128-bit hash of the key text. Leading with the time keeps the unique index append-mostly
 * (records arrive nearly in time order), which is most of what makes ingest fast; within one
 * millisecond, 80 bits of hash keep distinct requests apart.
 */
export function dedupeKey(key: string, seed: number, timestampMs: number): Buffer {
	const out = Buffer.allocUnsafe(16);
	out.writeUIntBE(Math.max(0, Math.min(timestampMs, 2 ** 48 - 1)), 0, 6);
	murmur128(key, seed, scratch);
	out.set(scratch.subarray(0, 10), 6);
	return out;
}

const scratch = new Uint8Array(16);

/** The hash seed a database's salt gives. */
export function seedFromSalt(salt: string): number {
	return Number.parseInt(salt.slice(0, 8), 16) >>> 0;
}

/**
 * The seed of one instance's dedupe keys: the database's own for tag '' (keys as a single-CPA
 * database stored them), else one derived from the salt and the tag. The instance is part of
 * every key this way at no cost per record: the same request text from two CPAs is two rows.
 */
export function instanceSeed(salt: string, tag: string): number {
	if (tag === '') return seedFromSalt(salt);
	return Number.parseInt(hash('sha256', `${salt}${SEP}instance${SEP}${tag}`, 'hex').slice(0, 8), 16) >>> 0;
}

/** A salted digest as hex, for values kept in state (legacy cursors). */
export function keyDigest(key: string, salt: string): string {
	return hash('sha256', salt + key, 'hex').slice(0, 32);
}
