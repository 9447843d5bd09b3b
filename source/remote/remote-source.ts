import type {DashboardData} from '../app/dashboard-data.js';
import type {RecentActivity} from '../app/recent-activity.js';
import type {DashboardDataSource} from '../app/data-source.js';
import {EventBus} from '../collector/event-bus.js';
import type {CollectorStatus} from '../collector/status.js';
import type {AlertEvent} from '../core/alerts/alert-message.js';
import {formatDuration} from '../core/report/format.js';
import {backoffDelayMs} from '../core/time/backoff.js';
import type {Period} from '../core/time/periods.js';
import type {Zone} from '../core/time/zone.js';
import type {DashboardAnswer} from './dashboard-answer.js';
import {RemoteRefusedError, type RemoteClient} from './remote-client.js';
import {SseParser} from './sse-parser.js';

/** The link to the remote as the status line and the alerts show it. */
export type RemoteLink = {
	/** host:port. */
	label: string;
	state: 'live' | 'reconnecting' | 'refused';
	/** When the remote was last heard from (an answer, an event, a heartbeat). */
	heardAt: number;
	/** Silence longer than this marks the data stale (the stream's heartbeat comes every 15 s). */
	staleMs: number;
	error: string | null;
	nextAttemptAt: number | null;
};

export type RemoteSourceOptions = {
	client: RemoteClient;
	label: string;
	now?: () => number;
	/** Called whenever the link changes (state, error, the last time heard from). */
	onLink?: (link: RemoteLink) => void;
	/** @default 45_000: three missed heartbeats. */
	staleMs?: number;
	/** Reconnect backoff: doubled per failure from `baseMs`, capped. */
	backoff?: {baseMs: number; capMs: number};
	/** Events arriving together cause one fetch. @default 250 */
	coalesceMs?: number;
	/** The same for `quotas` and `accounts` events. @default 1000 */
	accountsCoalesceMs?: number;
};

/**
 * What a new answer must change to be worth a render: not the read time, nor the official
 * windows' ages alone (shown in minutes; a local dashboard does not re-read for them either).
 */
const shown = (data: DashboardData) => JSON.stringify(data, (key, value: unknown) => (key === 'at' || key === 'ageMs' || key === 'last_updated' ? undefined : value));

/** Clocks closer than this are taken as synced (a request's round trip blurs the estimate anyway). */
const SKEW_MS = 2000;

/** Stream events after which the screen's data may have changed. */
const REFETCH_ON = new Set(['snapshot', 'usage_delta', 'limits', 'pass', 'warning', 'collector_error', 'quotas', 'accounts', 'alert']);

/**
 * The dashboard's data from a `--headless` instance: the dashboard route read at start and
 * again after stream events (bursts coalesced), the event stream followed and reopened with
 * backoff when it drops. A refusal (401/403) stops everything at once: retrying a wrong token
 * only locks the address out. Reads answer from the last fetch, so they never wait.
 */
export class RemoteSource implements DashboardDataSource {
	/** The events the dashboard's hooks listen to: `status` when the remote's changes, `alert` as it sends them. */
	readonly bus = new EventBus();
	private answer: DashboardAnswer | null = null;
	/** The latest requests and latency, fetched with every answer once a view has asked for them. */
	private recent: RecentActivity | null = null;
	private recentWanted = false;
	private period: Period = 'today';
	private readonly changed = new Set<() => void>();
	private readonly link: RemoteLink;
	private failures = 0;
	private stopped = false;
	private abort: AbortController | null = null;
	private timer: NodeJS.Timeout | undefined;
	private refetchTimer: NodeJS.Timeout | undefined;
	private refetchDue = 0;
	private fetching: Promise<void> | null = null;
	private again = false;
	private readonly now: () => number;
	/** The remote's clock minus this one's, when they are more than SKEW_MS apart (else 0). */
	private offset = 0;

	constructor(private readonly options: RemoteSourceOptions) {
		this.now = options.now ?? Date.now;
		this.link = {label: options.label, state: 'reconnecting', heardAt: this.clock(), staleMs: options.staleMs ?? 45_000, error: null, nextAttemptAt: null};
	}

	/** The first answer, before anything is drawn; throws what the runner prints (a refusal, no connection). */
	async start(period: Period): Promise<DashboardAnswer> {
		this.period = period;
		const answer = await this.fetch(period);
		this.answer = answer;
		this.setLink({state: 'live', heardAt: this.clock(), error: null});
		void this.follow();
		return answer;
	}

	/**
	 * Now on the remote's clock: the dashboard's clock with --connect, so countdowns and ages
	 * (computed against the remote's times) read right even when the two machines' clocks differ.
	 */
	readonly clock = (): number => this.now() + this.offset;

	/** One read of the dashboard route; the remote's `at` against the request's midpoint estimates the clocks' offset. */
	private async fetch(period: Period): Promise<DashboardAnswer> {
		const sent = this.now();
		const answer = await this.options.client.dashboard(period);
		const skew = answer.data.at - (sent + this.now()) / 2;
		this.offset = Math.abs(skew) > SKEW_MS ? Math.round(skew) : 0;
		return answer;
	}

	get zone(): Zone {
		return this.answer!.zone;
	}

	read(period: Period, _now: number): DashboardData {
		if (period !== this.period) {
			this.period = period;
			this.refetchSoon(0);
		}
		return this.answer!.data;
	}

	/** The remote sends whole screens: the accounts of the last one (its `quotas`/`accounts` events bring a new one). */
	readAccounts(period: Period, now: number) {
		return this.read(period, now).accounts;
	}

	/** The last fetch's (null before the first, which this asks for); a minute old, they are fetched again (the hour slides). */
	recentActivity(_now: number): RecentActivity | null {
		const first = !this.recentWanted;
		this.recentWanted = true;
		if (first || (this.recent && this.clock() - this.recent.at >= 60_000)) this.refetchSoon(0);
		return this.recent;
	}

	status(): CollectorStatus {
		return this.answer!.status;
	}

	collect(): string | null {
		if (this.link.state === 'refused') return 'r does nothing: the remote refused this dashboard (see above).';
		this.options.client.trigger().then(
			() => this.refetchSoon(),
			(error: unknown) => this.setLink({error: `r: ${(error as Error).message}`}),
		);
		return null;
	}

	/** Called after a fetch brought different data (the hooks re-read). */
	onChange(listener: () => void): () => void {
		this.changed.add(listener);
		return () => this.changed.delete(listener);
	}

	get current(): RemoteLink {
		return this.link;
	}

	stop(): void {
		this.stopped = true;
		this.abort?.abort();
		clearTimeout(this.timer);
		clearTimeout(this.refetchTimer);
	}

	/** One object, changed in place: the status line's ticker reads `heardAt` every second without a render. */
	private setLink(patch: Partial<RemoteLink>): void {
		Object.assign(this.link, patch);
		this.options.onLink?.(this.link);
	}

	/** The stream, reopened after every loss until a refusal or `stop`. */
	private async follow(): Promise<void> {
		while (!this.stopped) {
			const abort = new AbortController();
			this.abort = abort;
			let watchdog: NodeJS.Timeout | undefined;
			const idle = () => {
				clearTimeout(watchdog);
				watchdog = setTimeout(() => abort.abort(), this.link.staleMs);
			};
			try {
				idle();
				const body = await this.options.client.stream(abort.signal);
				const parser = new SseParser();
				const decoder = new TextDecoder();
				const reader = body.getReader();
				let opened = false;
				for (;;) {
					const {done, value} = await reader.read();
					if (done) break;
					idle();
					if (!opened) {
						opened = true;
						this.failures = 0;
					}
					this.heard();
					for (const event of parser.feed(decoder.decode(value, {stream: true}))) this.onEvent(event.event, event.data);
				}
				throw new Error(`${this.options.client.origin} closed the event stream`);
			} catch (error) {
				clearTimeout(watchdog);
				if (this.stopped) return;
				if (error instanceof RemoteRefusedError) {
					this.setLink({state: 'refused', error: error.message, nextAttemptAt: null});
					return;
				}
				this.failures++;
				const wait = backoffDelayMs(this.failures, this.options.backoff?.baseMs ?? 1000, this.options.backoff?.capMs ?? 30_000, Math.random());
				const message = abort.signal.aborted ? `${this.options.client.origin} went silent (no event or heartbeat for ${formatDuration(this.link.staleMs)})` : (error as Error).message;
				this.setLink({state: 'reconnecting', error: message, nextAttemptAt: this.clock() + wait});
				await new Promise<void>(resolve => {
					this.timer = setTimeout(resolve, wait);
				});
			} finally {
				clearTimeout(watchdog);
			}
		}
	}

	private heard(): void {
		// Heartbeats come every 15 s: worth a status-line update only when the link was not live.
		if (this.link.state !== 'live') this.setLink({state: 'live', error: null, nextAttemptAt: null, heardAt: this.clock()});
		else this.link.heardAt = this.clock();
	}

	private onEvent(name: string, data: string): void {
		if (name === 'alert') {
			try {
				const wire = JSON.parse(data) as {at?: string; data?: AlertEvent};
				const at = Date.parse(wire.at ?? '');
				if (wire.data && typeof wire.data === 'object') this.bus.emit('alert', wire.data, Number.isFinite(at) ? at : this.clock());
			} catch {
				// a malformed alert rings no bell
			}
		}
		// The snapshot opens every stream: after a reconnect, everything may have changed. Official
		// windows and account states arrive one account at a time: gathered for longer, as locally.
		if (name === 'snapshot') this.refetchSoon(0);
		else if (name === 'quotas' || name === 'accounts') this.refetchSoon(this.options.accountsCoalesceMs ?? 1000);
		else if (REFETCH_ON.has(name)) this.refetchSoon();
	}

	/** A fetch within `delay`; one already due sooner covers it, a later one is brought forward. */
	private refetchSoon(delay = this.options.coalesceMs ?? 250): void {
		if (this.stopped) return;
		const due = this.now() + delay;
		if (this.refetchTimer && this.refetchDue <= due) return;
		clearTimeout(this.refetchTimer);
		this.refetchDue = due;
		this.refetchTimer = setTimeout(() => {
			this.refetchTimer = undefined;
			void this.refetch();
		}, delay);
	}

	/** The latest requests; a failure is shown and waits for the next fetch, the screen's answer is kept. */
	private async fetchRecent(): Promise<RecentActivity | null> {
		try {
			return await this.options.client.recent();
		} catch (error) {
			if (error instanceof RemoteRefusedError) throw error;
			this.setLink({error: (error as Error).message});
			return null;
		}
	}

	/** One fetch at a time; a request during one runs once more after it. */
	private async refetch(): Promise<void> {
		if (this.fetching) {
			this.again = true;
			return this.fetching;
		}
		this.fetching = (async () => {
			do {
				this.again = false;
				const period = this.period;
				try {
					const answer = await this.fetch(period);
					const recent = this.recentWanted ? await this.fetchRecent() : null;
					if (this.stopped) return;
					this.heard();
					const before = this.answer;
					this.answer = answer;
					const recentChanged = recent !== null && JSON.stringify(recent.tail) + JSON.stringify(recent.latency) !== JSON.stringify(this.recent?.tail) + JSON.stringify(this.recent?.latency);
					if (recent) this.recent = recent;
					if (!before || JSON.stringify(before.status) !== JSON.stringify(answer.status)) this.bus.emit('status', answer.status);
					if (!before || recentChanged || shown(before.data) !== shown(answer.data)) for (const listener of this.changed) listener();
					if (this.link.error?.startsWith('r: ')) this.setLink({error: null});
				} catch (error) {
					if (error instanceof RemoteRefusedError) {
						this.abort?.abort();
						this.setLink({state: 'refused', error: error.message, nextAttemptAt: null});
						this.stopped = true;
						return;
					}
					// The stream's loss is what reconnects; a failed fetch waits for the next event.
					this.setLink({error: (error as Error).message});
				}
			} while (this.again && !this.stopped);
		})();
		try {
			await this.fetching;
		} finally {
			this.fetching = null;
		}
	}
}
