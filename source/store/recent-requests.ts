import type Database from 'better-sqlite3';
import {VOCABULARY_SQL} from '../core/report/vocabulary.js';
import type {Db} from './database.js';
import {keyBound} from './time-range.js';

/** One stored request as the dashboard's tail and latency panel show it; tokens in the one vocabulary. */
export type RecentRequest = {
	ts: number;
	model: string;
	provider: string | null;
	authIndex: string | null;
	/** The account's label from /auth-files (never a key), when the account is known. */
	account: string | null;
	input: number;
	cacheRead: number;
	output: number;
	total: number;
	costUsd: number | null;
	estimated: boolean;
	latencyMs: number | null;
	ttftMs: number | null;
	failed: boolean;
	statusCode: number | null;
};

type Row = {
	ts: number;
	model: string;
	provider: string | null;
	auth_index: string | null;
	label: string | null;
	input: number;
	cache_read: number;
	output: number;
	total: number;
	cost_usd: number | null;
	cost_estimated: number;
	latency_ms: number | null;
	ttft_ms: number | null;
	failed: number;
	status_code: number | null;
};

const statements = new WeakMap<Db, Database.Statement<[Buffer, Buffer, number], Row>>();

function statement(db: Db): Database.Statement<[Buffer, Buffer, number], Row> {
	let s = statements.get(db);
	if (!s) {
		// Newest first by the primary key (its first six bytes are the timestamp): the read costs `limit` rows, whatever the table's size.
		s = db.prepare<[Buffer, Buffer, number], Row>(`
			SELECT r.ts, d.model, d.provider, d.auth_index, a.label,
				${VOCABULARY_SQL.input} AS input, ${VOCABULARY_SQL.cacheRead} AS cache_read, ${VOCABULARY_SQL.output} AS output, ${VOCABULARY_SQL.total} AS total,
				r.cost_usd, r.cost_estimated, r.latency_ms, r.ttft_ms, r.failed, r.status_code
			FROM requests r JOIN request_dims d ON d.id = r.dim_id LEFT JOIN accounts a ON a.auth_index = d.auth_index
			WHERE r.dedupe_key >= ? AND r.dedupe_key < ?
			ORDER BY r.dedupe_key DESC LIMIT ?`);
		statements.set(db, s);
	}
	return s;
}

/**
 * The latest `limit` requests stored with a time in [since, until), newest first (by request
 * time, as CPA stamped it). Without `since`, from the first request on.
 */
export function recentRequests(db: Db, options: {limit: number; until: number; since?: number}): RecentRequest[] {
	const limit = Math.max(0, Math.floor(options.limit));
	if (limit === 0) return [];
	return statement(db)
		.all(keyBound(options.since ?? 0), keyBound(options.until), limit)
		.map(r => ({
			ts: r.ts,
			model: r.model,
			provider: r.provider,
			authIndex: r.auth_index,
			account: r.label,
			input: r.input,
			cacheRead: r.cache_read,
			output: r.output,
			total: r.total,
			costUsd: r.cost_usd,
			estimated: r.cost_estimated === 1,
			latencyMs: r.latency_ms,
			ttftMs: r.ttft_ms,
			failed: r.failed === 1,
			statusCode: r.status_code,
		}));
}
