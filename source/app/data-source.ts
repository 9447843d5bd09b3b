import {readAccountViews} from '../accounts/read-accounts.js';
import type {CollectorHandle as Collector} from '../collector/collector-group.js';
import type {CollectorStatus} from '../collector/status.js';
import type {LimitConfig} from '../core/limits/types.js';
import type {AccountView} from '../core/quota/account-view.js';
import type {Period} from '../core/time/periods.js';
import type {Zone} from '../core/time/zone.js';
import type {Db} from '../store/database.js';
import {readDashboard, type DashboardData} from './dashboard-data.js';
import {readRecentActivity, type RecentActivity} from './recent-activity.js';

/**
 * Where the dashboard's hooks read from: this process's database and collector (local), or a
 * `--headless` instance over HTTP (remote/remote-source.ts). Reads are synchronous, so the
 * first frame never waits: the remote one answers from what it last fetched and calls its
 * `onChange` listeners when something newer arrived.
 */
export type DashboardDataSource = {
	/** One screenful for `period` at `now`. */
	read(period: Period, now: number): DashboardData;
	/** Only the accounts (official windows and states change one account at a time, between passes). */
	readAccounts(period: Period, now: number): AccountView[];
	status(): CollectorStatus;
	/** `r`: a pass now; a sentence for the user when none can run. */
	collect(): string | null;
	/**
	 * The full wide layout's latest requests and latency per model. A remote answers from its last
	 * fetch (null before the first) and fetches anew, calling `onChange` when it has them.
	 */
	recentActivity?(now: number): RecentActivity | null;
	/** Remote: called when a fetch brought new data (local data changes arrive as bus events). */
	onChange?(listener: () => void): () => void;
};

/** Today's behaviour: the screen's query set on the local database, the local collector. */
export function localDataSource(parts: {db: Db; zone: Zone; collector: Collector; limits: {configs(): LimitConfig[]}}): DashboardDataSource {
	const {db, zone, collector, limits} = parts;
	return {
		read: (period, now) => readDashboard({db, zone, limits}, now, period),
		readAccounts: (period, now) => readAccountViews(db, zone, period, now),
		recentActivity: now => readRecentActivity(db, zone, now),
		status: () => collector.status(),
		collect: () => {
			if (collector.status().stopped) return 'r does nothing while collection is stopped: fix the error above, then restart cliproxy-usage.';
			void collector.trigger();
			return null;
		},
	};
}
