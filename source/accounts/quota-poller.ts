import type {CpaClient} from '../cliproxy/client.js';
import {parseJson} from '../cliproxy/client.js';
import {CpaAuthError, CpaError} from '../cliproxy/errors.js';
import type {EventBus} from '../collector/event-bus.js';
import {readApiCallAnswer} from '../core/cpa/api-call.js';
import {FieldError} from '../core/cpa/fields.js';
import {backoffAfter, jitterFor, nextToPoll} from '../core/quota/poll-plan.js';
import {quotaCallFor, type PollTarget, type QuotaCall} from '../core/quota/quota-calls.js';
import {retryAfterUntil} from '../core/quota/values.js';
import type {Logger} from '../runtime/logger.js';
import {storeHeaderFacts} from '../store/accounts.js';
import type {Db} from '../store/database.js';
import {lastHeaderObservations, readPollStates, writePollState, type PollState} from '../store/quota-polls.js';
import {storeWindows} from '../store/quota-windows.js';
import {accountKey} from '../core/cpa/account-key.js';

export type QuotaPollerDeps = {
	db: Db;
	client: CpaClient;
	bus: EventBus;
	logger: Logger;
	now: () => number;
	/** Accounts from the latest /auth-files listing: only these are ever asked about. */
	targets: () => readonly PollTarget[];
	intervalMinutes: number;
	tickMs?: number;
	/** The CPA's instance tag: its accounts are stored under accountKey(tag, auth_index); CPA is asked by its own auth_index. */
	instance?: string;
};

export type PollOutcome = {authIndex: string; ok: boolean; error?: string};

/**
 * Fetches the official quota of idle accounts through CPA's `POST /api-call`: only accounts CPA
 * listed in its latest /auth-files (an unknown auth_index would make CPA send a literal
 * `$TOKEN$` upstream), only those whose windows have not arrived in a response's headers within
 * the interval, each at most once per interval with a per-account jitter, one call at a time,
 * and never a write endpoint. A 429 (Retry-After honoured, 0 meaning "not now") or any other
 * failure backs the account off from five minutes to hours; the last good windows stay, with
 * their age.
 */
export class QuotaPoller {
	private timer: NodeJS.Timeout | undefined;
	private inFlight: Promise<PollOutcome | null> | undefined;
	private stopped = false;

	constructor(private readonly deps: QuotaPollerDeps) {}

	start(): void {
		if (this.deps.intervalMinutes <= 0) return;
		this.timer = setInterval(() => void this.tick(), this.deps.tickMs ?? 60_000);
		this.timer.unref();
	}

	async stop(): Promise<void> {
		this.stopped = true;
		clearInterval(this.timer);
		await this.inFlight;
	}

	/** Polls the most overdue idle account, if any is due; one call at a time. */
	tick(): Promise<PollOutcome | null> {
		if (this.stopped || this.deps.intervalMinutes <= 0) return Promise.resolve(null);
		// A database that cannot take the poll's state (busy, full) is this tick's failure, never a crash.
		this.inFlight ??= this.pollNext()
			.catch(error => {
				this.deps.logger.warn('quota poll not recorded', {error: String(error)});
				return null;
			})
			.finally(() => (this.inFlight = undefined));
		return this.inFlight;
	}

	private async pollNext(): Promise<PollOutcome | null> {
		const {db, client, now} = this.deps;
		if (client.authFailure) return null;
		const calls = new Map<string, {target: PollTarget; call: QuotaCall}>();
		for (const t of this.deps.targets()) {
			const call = quotaCallFor(t);
			if (call) calls.set(accountKey(this.deps.instance ?? '', t.authIndex), {target: t, call});
		}
		if (calls.size === 0) return null;
		const states = readPollStates(db);
		const headers = lastHeaderObservations(db);
		const at = now();
		const next = nextToPoll(
			[...calls.keys()].map(authIndex => ({authIndex, lastHeaderAt: headers.get(authIndex) ?? null, lastAttemptAt: states.get(authIndex)?.lastAttemptAt ?? null, nextAllowedAt: states.get(authIndex)?.nextAllowedAt ?? null})),
			at,
			this.deps.intervalMinutes * 60_000,
			jitterFor,
		);
		if (!next) return null;
		const {call} = calls.get(next.authIndex)!;
		const state: PollState = states.get(next.authIndex) ?? {authIndex: next.authIndex, lastAttemptAt: null, lastSuccessAt: null, failures: 0, nextAllowedAt: null, lastError: null};
		return this.poll(call, state, at);
	}

	private async poll(call: QuotaCall, state: PollState, at: number): Promise<PollOutcome> {
		const {db, client, logger, bus} = this.deps;
		state.lastAttemptAt = at;
		let error = 'no answer';
		let retryAfterMs: number | null = null;
		for (const request of call.requests) {
			let answer;
			try {
				answer = readApiCallAnswer(parseJson((await client.apiCall(request)).text, '/api-call'));
			} catch (e) {
				if (e instanceof CpaAuthError) return this.failed(state, at, e.message, null);
				error = e instanceof CpaError || e instanceof FieldError ? e.message : String(e);
				break;
			}
			if (answer.statusCode >= 200 && answer.statusCode < 300) {
				try {
					const observed = call.read(JSON.parse(answer.body) as unknown, this.deps.now());
					const accounts = db.transaction(() => {
						const changed = storeWindows(db, state.authIndex, observed.windows);
						const plan = observed.plan !== null && storeHeaderFacts(db, state.authIndex, observed.plan, null, at);
						writePollState(db, {...state, lastSuccessAt: at, failures: 0, nextAllowedAt: null, lastError: null});
						return changed > 0 || plan;
					}).immediate();
					if (accounts) bus.emit('quotas', {at: this.deps.now(), accounts: [state.authIndex], source: 'api'});
					logger.debug('official quota fetched', {auth_index: request.auth_index, kind: call.kind, windows: observed.windows.length});
					return {authIndex: state.authIndex, ok: true};
				} catch (e) {
					error = `${call.kind} quota answer unusable: ${e instanceof Error ? e.message : String(e)}`;
					break;
				}
			}
			error = `${call.kind} quota endpoint answered HTTP ${answer.statusCode}`;
			if (answer.statusCode === 429) {
				const until = retryAfterUntil(answer.retryAfter, at);
				retryAfterMs = until === null ? null : until - at;
				break;
			}
			// Another host may serve it (Antigravity); anything else is this account's failure.
			if (answer.statusCode < 500 && answer.statusCode !== 404) break;
		}
		return this.failed(state, at, error, retryAfterMs);
	}

	private failed(state: PollState, at: number, error: string, retryAfterMs: number | null): PollOutcome {
		const failures = state.failures + 1;
		const wait = backoffAfter(failures, retryAfterMs);
		writePollState(this.deps.db, {...state, failures, nextAllowedAt: at + wait, lastError: error.slice(0, 300)});
		this.deps.logger.warn('official quota not fetched; backing off', {auth_index: state.authIndex, error, retry_in_minutes: Math.round(wait / 60_000)});
		return {authIndex: state.authIndex, ok: false, error};
	}
}
