import type {Db} from './database.js';

export type PollState = {authIndex: string; lastAttemptAt: number | null; lastSuccessAt: number | null; failures: number; nextAllowedAt: number | null; lastError: string | null};

type Row = {auth_index: string; last_attempt_at: number | null; last_success_at: number | null; failures: number; next_allowed_at: number | null; last_error: string | null};

const statements = new WeakMap<Db, ReturnType<typeof prepare>>();

function prepare(db: Db) {
	return {
		all: db.prepare<[], Row>('SELECT * FROM quota_polls'),
		put: db.prepare(`
			INSERT INTO quota_polls (auth_index, last_attempt_at, last_success_at, failures, next_allowed_at, last_error)
			VALUES (@authIndex, @lastAttemptAt, @lastSuccessAt, @failures, @nextAllowedAt, @lastError)
			ON CONFLICT (auth_index) DO UPDATE SET last_attempt_at = excluded.last_attempt_at, last_success_at = excluded.last_success_at,
				failures = excluded.failures, next_allowed_at = excluded.next_allowed_at, last_error = excluded.last_error`),
		lastHeader: db.prepare<[], {auth_index: string; at: number}>("SELECT auth_index, max(observed_at) AS at FROM quota_windows WHERE source = 'headers' GROUP BY auth_index"),
	};
}

function stmts(db: Db) {
	let s = statements.get(db);
	if (!s) statements.set(db, (s = prepare(db)));
	return s;
}

export function readPollStates(db: Db): Map<string, PollState> {
	return new Map(
		stmts(db)
			.all.all()
			.map(r => [r.auth_index, {authIndex: r.auth_index, lastAttemptAt: r.last_attempt_at, lastSuccessAt: r.last_success_at, failures: r.failures, nextAllowedAt: r.next_allowed_at, lastError: r.last_error}]),
	);
}

export function writePollState(db: Db, s: PollState): void {
	stmts(db).put.run(s);
}

/** When each account's windows were last seen in a response's headers. */
export function lastHeaderObservations(db: Db): Map<string, number> {
	return new Map(stmts(db).lastHeader.all().map(r => [r.auth_index, r.at]));
}
