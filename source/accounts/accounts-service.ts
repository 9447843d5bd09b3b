import type {CpaClient} from '../cliproxy/client.js';
import {parseJson} from '../cliproxy/client.js';
import {CpaAuthError, CpaError, CpaNotFoundError} from '../cliproxy/errors.js';
import type {EventBus} from '../collector/event-bus.js';
import {API_KEY_LISTS, readApiKeyList, readAuthFiles, type ApiKeyList, type AuthFileEntry} from '../core/cpa/auth-files.js';
import {FieldError} from '../core/cpa/fields.js';
import type {AccountView} from '../core/quota/account-view.js';
import type {PollTarget} from '../core/quota/quota-calls.js';
import type {Period} from '../core/time/periods.js';
import type {Zone} from '../core/time/zone.js';
import type {Logger} from '../runtime/logger.js';
import {storeListing} from '../store/accounts.js';
import type {Db} from '../store/database.js';
import {StateStore} from '../store/state.js';
import {storeFailure} from '../store/store-failure.js';
import {listedAtKey, readAccountViews} from './read-accounts.js';
import {accountKey} from '../core/cpa/account-key.js';

export const ACCOUNTS_REFRESH_MS = 3 * 60_000;

export type AccountsDeps = {
	db: Db;
	zone: Zone;
	client: CpaClient;
	bus: EventBus;
	logger: Logger;
	now: () => number;
	refreshMs?: number;
	/** The CPA's instance tag: its accounts are stored under accountKey(tag, auth_index). */
	instance?: string;
};

/**
 * The credentials CPA serves from, labelled from `/auth-files` and the config API-key lists
 * (never a key, a path or a token): read at start, every few minutes, and whenever CPA says its
 * credentials changed. What quota calls need at call time (the ChatGPT account id, a project
 * id) is kept in memory from the latest listing only, never stored.
 */
export class AccountsService {
	private timer: NodeJS.Timeout | undefined;
	private inFlight: Promise<void> | undefined;
	private stopped = false;
	private targets = new Map<string, PollTarget>();
	private readonly missingLists = new Set<ApiKeyList>();
	private readonly unsubscribe: () => void;
	private lastError: string | null = null;
	/** When the last listing was stored, this run. */
	lastRefreshAt: number | null = null;

	constructor(private readonly deps: AccountsDeps) {
		this.unsubscribe = deps.bus.on('cpa_refresh', e => {
			if (e.instance === undefined || e.instance === (deps.instance ?? '')) void this.refresh();
		});
	}

	start(): void {
		void this.refresh();
		this.timer = setInterval(() => void this.refresh(), this.deps.refreshMs ?? ACCOUNTS_REFRESH_MS);
		this.timer.unref();
	}

	stop(): void {
		this.stopped = true;
		clearInterval(this.timer);
		this.unsubscribe();
	}

	/** Accounts with their state, usage over `period` and official windows, now. */
	list(period: Period): AccountView[] {
		return readAccountViews(this.deps.db, this.deps.zone, period, this.deps.now());
	}

	/** The latest listing's facts for a quota call (by CPA's own auth_index); null for an index CPA did not list (never call for it). */
	target(authIndex: string): PollTarget | null {
		return this.targets.get(authIndex) ?? null;
	}

	/** Every listed account a quota call could be made for. */
	listed(): PollTarget[] {
		return [...this.targets.values()];
	}

	get error(): string | null {
		return this.lastError;
	}

	/** One listing at a time; a call during one joins it. */
	refresh(): Promise<void> {
		if (this.stopped) return Promise.resolve();
		this.inFlight ??= this.read()
			.catch(error => this.deps.logger.error('listing CPA accounts failed unexpectedly', {error: String(error)}))
			.finally(() => (this.inFlight = undefined));
		return this.inFlight;
	}

	private async read(): Promise<void> {
		const {client, db, logger, bus, now} = this.deps;
		if (client.authFailure) return;
		let files: AuthFileEntry[];
		let complete: boolean;
		try {
			({entries: files, complete} = readAuthFiles(parseJson((await client.getAuthFiles()).text, '/auth-files')));
		} catch (error) {
			this.fail(error);
			return;
		}
		const keys: AuthFileEntry[] = [];
		for (const list of API_KEY_LISTS) {
			if (this.stopped) return;
			if (this.missingLists.has(list)) continue;
			try {
				keys.push(...readApiKeyList(list, parseJson((await client.getApiKeyList(list)).text, `/${list}`)));
			} catch (error) {
				// Older CPAs lack some lists; a refused key stops everything.
				if (error instanceof CpaAuthError) return this.fail(error);
				if (error instanceof CpaNotFoundError && !error.managementDisabled) this.missingLists.add(list);
				else logger.debug(`could not read /${list}`, {error: String(error)});
			}
		}
		// Stopped while CPA answered: the database may be closed already, and nothing waits for this listing.
		if (this.stopped) return;
		const at = now();
		const tag = this.deps.instance ?? '';
		const scoped = (entries: AuthFileEntry[]) => (tag === '' ? entries : entries.map(e => ({...e, authIndex: accountKey(tag, e.authIndex)})));
		const fileIndexes = new Set(files.map(f => f.authIndex));
		try {
			storeListing(db, scoped(files), 'auth-files', at);
			storeListing(db, scoped(keys.filter(k => !fileIndexes.has(k.authIndex))), 'api-keys', at);
			if (complete) new StateStore(db).set(listedAtKey(tag), String(at));
		} catch (error) {
			// The database is busy, full or read-only: the listing is read again at the next refresh.
			const failure = storeFailure(error);
			if (!failure) throw error;
			this.fail(`the listing could not be stored (${failure.code}: ${failure.message})`);
			return;
		}
		this.targets = new Map([...files, ...keys].map(f => [f.authIndex, {authIndex: f.authIndex, provider: f.provider, accountType: f.accountType, ...f.callIds}]));
		this.lastRefreshAt = at;
		if (this.lastError) logger.info('accounts listed again', {accounts: this.targets.size});
		this.lastError = null;
		bus.emit('accounts', {at, accounts: [...this.targets.keys()].map(id => accountKey(tag, id)).sort()}, at);
	}

	private fail(error: unknown): void {
		const message = error instanceof CpaError || error instanceof FieldError ? error.message : String(error);
		if (message !== this.lastError) this.deps.logger.warn('could not list CPA accounts (/auth-files); labels and states may be stale', {error: message});
		this.lastError = message;
	}
}
