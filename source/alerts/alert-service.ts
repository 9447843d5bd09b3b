import {instanceNames} from '../store/instances.js';
import type {EventBus} from '../collector/event-bus.js';
import {alertEvent, webhookBody, type AlertEvent} from '../core/alerts/alert-message.js';
import type {AlertConfig} from '../core/alerts/alert-config.js';
import {limitSubjects, quotaSubjects, type AlertSubject} from '../core/alerts/subjects.js';
import type {LimitStatus} from '../core/limits/types.js';
import type {Zone} from '../core/time/zone.js';
import type {Logger} from '../runtime/logger.js';
import {readAccounts} from '../store/accounts.js';
import {AlertStateStore} from '../store/alert-state.js';
import type {Db} from '../store/database.js';
import {readWindows} from '../store/quota-windows.js';
import {postWebhook, type WebhookOptions} from './webhook.js';

export type AlertServiceDeps = {
	db: Db;
	bus: EventBus;
	logger: Logger;
	now: () => number;
	zone: Zone;
	config: AlertConfig;
	/** The first CPA's name: its accounts' quota alerts say it; every other CPA's accounts say their own (store/instances.ts). */
	instance: string;
	/** Timeouts and backoff of the POST (tests shorten them). */
	webhook?: Omit<WebhookOptions, 'url' | 'signal'>;
	/** How long events are gathered before one evaluation. @default 200 */
	settleMs?: number;
};

/**
 * Budget alerts (docs/alerts.md): after the limits are recomputed and when official quota
 * windows change, every limit and window is checked against the thresholds; each threshold
 * crossed for the first time in its window is emitted on the bus (`alert`: the dashboard's bell,
 * the event stream) and POSTed to ALERT_WEBHOOK_URL, one POST at a time.
 */
export class AlertService {
	private readonly store: AlertStateStore;
	private readonly offs: Array<() => void> = [];
	private statuses: LimitStatus[] = [];
	private timer: NodeJS.Timeout | undefined;
	private queue: Promise<void> = Promise.resolve();
	private readonly stopping = new AbortController();

	constructor(private readonly deps: AlertServiceDeps) {
		this.store = new AlertStateStore(deps.db);
	}

	get enabled(): boolean {
		return this.deps.config.thresholds.length > 0;
	}

	start(): void {
		if (!this.enabled) return;
		const {bus} = this.deps;
		this.offs.push(
			bus.on('limits', ({statuses}) => {
				this.statuses = statuses as LimitStatus[];
				this.schedule();
			}),
			bus.on('quotas', () => this.schedule()),
		);
		if (this.deps.config.webhookUrl) for (const p of this.store.pending(this.deps.now())) this.deliver(p.subject, p.threshold, p.body);
		this.schedule();
	}

	/**
	 * The CPA a quota subject's account belongs to: `quota:<tag>/<auth_index>:<window>` for every
	 * instance but the first (core/cpa/account-key.ts), by its stored name.
	 */
	private instanceOf(subjectKey: string, first: string): string {
		const names = instanceNames(this.deps.db, first);
		const rest = subjectKey.slice('quota:'.length);
		const slash = rest.indexOf('/');
		if (slash > 0 && names.has(rest.slice(0, slash))) return names.get(rest.slice(0, slash))!;
		return names.get('') ?? first;
	}

	/** Checks now; returns the alerts that fired. */
	evaluate(): AlertEvent[] {
		const {db, now: clock, config, zone, instance} = this.deps;
		const now = clock();
		const {accounts} = readAccounts(db);
		const subjects: AlertSubject[] = [
			...limitSubjects(this.statuses),
			...quotaSubjects(accounts.map(a => ({authIndex: a.auth_index, label: a.label, provider: a.provider})), readWindows(db), now),
		];
		const events = new Map<string, AlertEvent>();
		const eventOf = (subject: AlertSubject, threshold: number) => {
			const key = `${subject.key}\u0001${threshold}`;
			let e = events.get(key);
			if (!e) events.set(key, (e = alertEvent(subject, threshold, now, zone, subject.kind === 'quota' ? this.instanceOf(subject.key, instance) : instance)));
			return e;
		};
		const body = config.webhookUrl ? (c: {subject: AlertSubject; threshold: number}) => JSON.stringify(webhookBody(eventOf(c.subject, c.threshold))) : null;
		const claimed = this.store.claim(subjects, config.thresholds, now, body);
		const fired = claimed.map(c => eventOf(c.subject, c.threshold));
		claimed.forEach((c, i) => {
			const e = fired[i]!;
			this.deps.bus.emit('alert', e, now);
			this.deps.logger.info('alert', {kind: e.kind, threshold: e.threshold, percent_used: e.percentUsed, name: e.name});
			if (body) this.deliver(c.subject.key, c.threshold, JSON.stringify(webhookBody(e)));
		});
		return fired;
	}

	/** Stops listening and ends a POST or a backoff in flight (the alert stays pending, sent again at the next start). */
	async stop(): Promise<void> {
		for (const off of this.offs.splice(0)) off();
		clearTimeout(this.timer);
		this.stopping.abort();
		await this.queue;
	}

	/** Resolves once every POST queued so far has finished (tests). */
	idle(): Promise<void> {
		return this.queue;
	}

	private schedule(): void {
		if (this.timer || this.stopping.signal.aborted) return;
		this.timer = setTimeout(() => {
			this.timer = undefined;
			try {
				this.evaluate();
			} catch (error) {
				this.deps.logger.warn('budget alerts not checked', {error: String(error)});
			}
		}, this.deps.settleMs ?? 200);
		this.timer.unref();
	}

	private deliver(subject: string, threshold: number, body: string): void {
		const url = this.deps.config.webhookUrl!;
		this.queue = this.queue.then(async () => {
			if (this.stopping.signal.aborted) return;
			const result = await postWebhook(body, {...this.deps.webhook, url, signal: this.stopping.signal});
			if (!result.ok && result.error === 'stopped') return;
			try {
				this.store.delivered(subject, threshold, result.ok ? 'sent' : 'failed', result.attempts, result.ok ? null : result.error);
			} catch {
				// The database closed under a shutdown; the alert stays pending.
			}
			if (!result.ok) this.deps.logger.warn('alert webhook failed; this alert is not sent again', {host: new URL(url).host, attempts: result.attempts, error: result.error});
		});
	}
}
