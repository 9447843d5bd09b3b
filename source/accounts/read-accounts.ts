import {accountViews, type AccountRecord, type AccountView} from '../core/quota/account-view.js';
import type {AccountFacts} from '../core/quota/account-state.js';
import type {StoredWindow} from '../core/quota/anchor.js';
import {periodRange, type Period} from '../core/time/periods.js';
import type {Zone} from '../core/time/zone.js';
import {accountUsage} from '../store/account-usage.js';
import {readAccounts, type AccountRow} from '../store/accounts.js';
import type {Db} from '../store/database.js';
import {readWindows} from '../store/quota-windows.js';
import {StateStore} from '../store/state.js';
import {instanceNames} from '../store/instances.js';
import {splitAccountKey} from '../core/cpa/account-key.js';
import type {SumsReader} from '../store/usage-sums.js';

/** When the last complete /auth-files listing was stored (collector_state). */
export const LISTED_AT_KEY = 'auth_files_listed_at';

/** The same per instance: each CPA lists only its own accounts. */
export function listedAtKey(tag: string): string {
	return tag === '' ? LISTED_AT_KEY : `${LISTED_AT_KEY}:${tag}`;
}

/** Every account with its state, its usage over `period` and its official windows, at `now`. */
export function readAccountViews(db: Db, zone: Zone, period: Period, now: number, sums?: SumsReader, firstInstance = ''): AccountView[] {
	const {accounts, models} = readAccounts(db);
	const {start, end} = periodRange(period, zone, now);
	const usage = accountUsage(db, start, end, sums);
	const windows = new Map<string, StoredWindow[]>();
	for (const w of readWindows(db)) {
		let list = windows.get(w.authIndex);
		if (!list) windows.set(w.authIndex, (list = []));
		list.push(w);
	}
	const byAccount = new Map<string, Array<AccountFacts['models'][number]>>();
	for (const m of models) {
		let list = byAccount.get(m.auth_index);
		if (!list) byAccount.set(m.auth_index, (list = []));
		list.push({model: m.model, until: m.until, reason: m.reason});
	}
	const names = instanceNames(db, firstInstance);
	const tags = new Set(names.keys());
	const state = new StateStore(db);
	const listings = new Map<string, number | null>();
	const listedAt = (key: string) => {
		const {tag} = splitAccountKey(key, tags);
		if (!listings.has(tag)) listings.set(tag, state.getNumber(listedAtKey(tag)));
		return listings.get(tag)!;
	};
	const instanceOf = (key: string) => {
		const {tag, authIndex} = splitAccountKey(key, tags);
		return {instance: names.get(tag) ?? tag, cpaAuthIndex: authIndex};
	};
	return accountViews(accounts.map(record), byAccount, windows, usage, now, listedAt, instanceOf);
}

function record(r: AccountRow): AccountRecord {
	return {
		authIndex: r.auth_index,
		label: r.label,
		provider: r.provider,
		plan: r.plan,
		accountType: r.account_type,
		lastRequestAt: r.last_request_at,
		cpaStatus: r.cpa_status,
		statusMessage: r.status_message,
		disabled: r.disabled === 1,
		unavailable: r.unavailable === 1,
		nextRetryAfter: r.next_retry_after,
		headerCooldownUntil: r.header_cooldown_until,
		errorCooldownUntil: r.error_cooldown_until,
		errorReason: r.error_reason,
		listedAt: r.listed_at,
	};
}
