import type {AuthFileEntry} from '../core/cpa/auth-files.js';
import type {ErrorEvent} from '../core/cpa/error-event.js';
import type {Db} from './database.js';

/** One `accounts` row. */
export type AccountRow = {
	auth_index: string;
	label: string | null;
	label_source: string | null;
	provider: string | null;
	plan: string | null;
	account_type: string | null;
	cpa_status: string | null;
	status_message: string | null;
	disabled: number;
	unavailable: number;
	next_retry_after: number | null;
	listed_at: number | null;
	first_request_at: number | null;
	last_request_at: number | null;
	header_cooldown_until: number | null;
	error_cooldown_until: number | null;
	error_reason: string | null;
	error_status_code: number | null;
	error_at: number | null;
	updated_at: number;
};

export type ModelStateRow = {auth_index: string; model: string; status: string | null; reason: string | null; exceeded: number; until: number | null; status_code: number | null; observed_at: number};

const statements = new WeakMap<Db, ReturnType<typeof prepare>>();

function prepare(db: Db) {
	return {
		listing: db.prepare(`
			INSERT INTO accounts (auth_index, label, label_source, provider, plan, account_type, cpa_status, status_message, disabled, unavailable, next_retry_after, listed_at, updated_at)
			VALUES (@authIndex, @label, @labelSource, @provider, @plan, @accountType, @status, @statusMessage, @disabled, @unavailable, @nextRetryAfter, @at, @at)
			ON CONFLICT (auth_index) DO UPDATE SET label = excluded.label, label_source = excluded.label_source,
				provider = coalesce(excluded.provider, provider), plan = coalesce(excluded.plan, plan), account_type = coalesce(excluded.account_type, account_type),
				cpa_status = excluded.cpa_status, status_message = excluded.status_message, disabled = excluded.disabled, unavailable = excluded.unavailable,
				next_retry_after = excluded.next_retry_after, listed_at = excluded.listed_at, updated_at = excluded.updated_at`),
		seen: db.prepare(`
			INSERT INTO accounts (auth_index, label, label_source, provider, first_request_at, last_request_at, updated_at)
			VALUES (@authIndex, @label, CASE WHEN @label IS NULL THEN NULL ELSE 'records' END, @provider, @first, @last, @last)
			ON CONFLICT (auth_index) DO UPDATE SET
				first_request_at = min(coalesce(first_request_at, excluded.first_request_at), excluded.first_request_at),
				last_request_at = max(coalesce(last_request_at, excluded.last_request_at), excluded.last_request_at),
				provider = coalesce(provider, excluded.provider),
				label_source = CASE WHEN label IS NULL AND excluded.label IS NOT NULL THEN 'records' ELSE label_source END,
				label = coalesce(label, excluded.label)`),
		facts: db.prepare(`
			UPDATE accounts SET plan = coalesce(@plan, plan),
				header_cooldown_until = CASE WHEN @until IS NULL THEN header_cooldown_until ELSE max(coalesce(header_cooldown_until, 0), @until) END, updated_at = @at
			WHERE auth_index = @authIndex AND ((@plan IS NOT NULL AND plan IS NOT @plan) OR (@until IS NOT NULL AND coalesce(header_cooldown_until, 0) < @until))`),
		ensure: db.prepare<[string, string | null, number]>('INSERT INTO accounts (auth_index, provider, updated_at) VALUES (?, ?, ?) ON CONFLICT (auth_index) DO UPDATE SET provider = coalesce(provider, excluded.provider)'),
		errorFacts: db.prepare(`
			UPDATE accounts SET error_cooldown_until = @until, error_reason = @reason, error_status_code = @statusCode, error_at = @at,
				cpa_status = coalesce(@status, cpa_status), disabled = max(disabled, @disabled), updated_at = @at
			WHERE auth_index = @authIndex AND coalesce(error_at, 0) <= @at`),
		modelState: db.prepare(`
			INSERT INTO account_model_states (auth_index, model, status, reason, exceeded, until, status_code, observed_at)
			VALUES (@authIndex, @model, @status, @reason, @exceeded, @until, @statusCode, @at)
			ON CONFLICT (auth_index, model) DO UPDATE SET status = excluded.status, reason = excluded.reason, exceeded = excluded.exceeded,
				until = excluded.until, status_code = excluded.status_code, observed_at = excluded.observed_at
			WHERE excluded.observed_at >= observed_at`),
		all: db.prepare<[], AccountRow>('SELECT * FROM accounts ORDER BY auth_index'),
		models: db.prepare<[], ModelStateRow>('SELECT * FROM account_model_states ORDER BY auth_index, model'),
	};
}

function stmts(db: Db) {
	let s = statements.get(db);
	if (!s) statements.set(db, (s = prepare(db)));
	return s;
}

/** What CPA's `/auth-files` (or a config API-key list) says of each credential; one transaction. */
export function storeListing(db: Db, entries: readonly AuthFileEntry[], labelSource: 'auth-files' | 'api-keys', at: number): void {
	const s = stmts(db);
	db.transaction(() => {
		for (const e of entries) {
			s.listing.run({
				authIndex: e.authIndex,
				label: e.label,
				labelSource,
				provider: e.provider,
				plan: e.plan,
				accountType: e.accountType,
				status: e.status,
				statusMessage: e.statusMessage,
				disabled: e.disabled ? 1 : 0,
				unavailable: e.unavailable ? 1 : 0,
				nextRetryAfter: e.nextRetryAfter,
				at,
			});
		}
	}).immediate();
}

/** Requests of a credential were stored: the account exists, with when it was used. Inside the writer's transaction. */
export function markSeen(db: Db, authIndex: string, provider: string | null, label: string | null, first: number, last: number): void {
	stmts(db).seen.run({authIndex, label, provider, first, last});
}

/** A response's headers named the plan or a cooldown; true when that changed the row. */
export function storeHeaderFacts(db: Db, authIndex: string, plan: string | null, cooldownUntil: number | null, at: number): boolean {
	return stmts(db).facts.run({plan, until: cooldownUntil, at, authIndex}).changes > 0;
}

/** An `errors` channel event: the credential's and the model's cooldown as CPA set them. */
export function storeErrorEvent(db: Db, e: ErrorEvent): void {
	const s = stmts(db);
	db.transaction(() => {
		s.ensure.run(e.authIndex, e.provider, e.at);
		const c = e.credential;
		s.errorFacts.run({
			authIndex: e.authIndex,
			until: c.unavailable || c.exceeded ? c.until : null,
			reason: c.reason,
			statusCode: e.statusCode,
			status: c.status,
			disabled: e.disabled ? 1 : 0,
			at: e.at,
		});
		const m = e.modelState;
		if (m) {
			s.modelState.run({authIndex: e.authIndex, model: m.name, status: m.status, reason: m.reason, exceeded: m.exceeded ? 1 : 0, until: m.unavailable || m.exceeded ? m.until : null, statusCode: e.statusCode, at: e.at});
		}
	}).immediate();
}

export function readAccounts(db: Db): {accounts: AccountRow[]; models: ModelStateRow[]} {
	const s = stmts(db);
	return {accounts: s.all.all(), models: s.models.all()};
}
