import {parseJson, type CpaClient} from '../cliproxy/client.js';
import {CpaError} from '../cliproxy/errors.js';
import {GapLedger, type Gap} from '../core/cpa/gap-ledger.js';
import {judgeStarvation, readServedByCredential} from '../core/cpa/starvation.js';
import type {Logger} from '../runtime/logger.js';
import type {BackendDescription, BackendPassResult, CollectorBackend, PassControl} from './backend.js';
import type {EventBus} from './event-bus.js';

export const STARVATION_CHECK_MS = 5 * 60_000;
/**
 * How often CPA's counters are read to look for gaps: well inside the default retention, so a
 * loss is reported within a minute, without an extra management request on every 5 s pass.
 */
export const GAP_CHECK_MS = 30_000;
/** Gaps kept for the status (the newest; the log and the `gap` events have every one). */
export const GAPS_KEPT = 50;

export type StarvationWatchDeps = {
	client: CpaClient;
	logger: Logger;
	bus: EventBus;
	now: () => number;
	intervalMs?: number;
	gapIntervalMs?: number;
	/** Records received from CPA so far (RecordSink.delivered): stored, duplicate, malformed or spooled. */
	delivered?: () => number;
	/** CPA's queue retention now, in ms. */
	retentionMs?: () => number;
	/** CPA's usage-statistics-enabled as last read: when false CPA counts requests it never queues. */
	statisticsEnabled?: () => boolean | null;
};

export function starvationWarning(served: number, minutes: number, backend: string): string {
	const fix =
		backend === 'resp'
			? 'our own subscription is down meanwhile (see the transport state), so only the other subscriber gets them'
			: 'stop it, switch every collector on this CPA to RESP, or set COLLECTOR_SOURCE=resp here';
	return (
		`CPA served ${served} requests in the last ${minutes} minutes (its /auth-files counters) but none reached this collector: ` +
		"another tool is probably subscribed to CPA's usage over RESP (while any subscriber is connected, CPA's HTTP queue gets nothing) " +
		`or drains the same queue first; ${fix}`
	);
}

/**
 * Wraps a queue-reading backend and holds CPA's own request counters (`/auth-files` success
 * + failed, read before each pass drains, so what they count is queued by then) against what
 * reached us:
 * - gaps: every request CPA counted that never arrived is reported once, with its likely cause
 *   (GapLedger), in the status, the log and a `gap` event; nothing is ever filled in;
 * - the one-consumer trap: counters rising for minutes while nothing at all arrives.
 *   Skipped while a RESP subscription is up: CPA sends every subscriber every record.
 */
export class StarvationWatch implements CollectorBackend {
	private lastCheck: number | null = null;
	private served: number | null = null;
	private received = 0;
	private warning: string | null = null;
	private readonly intervalMs: number;
	private readonly ledger = new GapLedger();
	private readonly gaps: Gap[] = [];
	private lastDrainAt: number | null = null;
	private lastDrops = 0;
	private lastReadingAt: number | null = null;
	/** Since the last comparison: subscriptions CPA dropped, and the longest time nothing drained. */
	private pendingDrops = 0;
	private pendingOutageMs = 0;

	constructor(
		private readonly inner: CollectorBackend,
		private readonly deps: StarvationWatchDeps,
	) {
		this.intervalMs = deps.intervalMs ?? STARVATION_CHECK_MS;
	}

	get name() {
		return this.inner.name;
	}

	async open(): Promise<void> {
		await this.inner.open?.();
	}

	async close(): Promise<void> {
		await this.inner.close?.();
	}

	async pass(control?: PassControl): Promise<BackendPassResult> {
		const now = this.deps.now();
		const due = this.lastCheck === null || now - this.lastCheck >= this.intervalMs;
		const readingDue = due || this.lastReadingAt === null || now - this.lastReadingAt >= (this.deps.gapIntervalMs ?? GAP_CHECK_MS);
		// Read before the pass drains: whatever the counters count has been queued by then.
		const reading = readingDue ? await this.readServed() : null;
		if (readingDue) this.lastReadingAt = now;
		const counting = this.deps.delivered !== undefined && this.deps.statisticsEnabled?.() !== false;
		if (!counting) this.ledger.reset();
		else if (reading && this.ledger.hasBaseline && this.ledger.observe({at: now, byCredential: reading})) {
			this.deps.logger.warn('CPA restarted: its request counters went down; records it still held in its queue are gone', {at: new Date(now).toISOString()});
		}
		const result = await this.inner.pass(control);
		const drainedAt = this.deps.now();
		if (this.lastDrainAt !== null) this.pendingOutageMs = Math.max(this.pendingOutageMs, now - this.lastDrainAt);
		this.lastDrainAt = drainedAt;
		const drops = this.inner.describe?.().transport?.drops ?? 0;
		this.pendingDrops += Math.max(0, drops - this.lastDrops);
		this.lastDrops = drops;
		if (counting && !this.ledger.hasBaseline) {
			// Read again now that the queue is drained: what CPA counted so far has reached us.
			const after = await this.readServed();
			if (after) this.ledger.baseline({at: drainedAt, byCredential: after}, this.deps.delivered!());
			this.pendingDrops = 0;
			this.pendingOutageMs = 0;
		} else if (counting && reading) {
			const context = {subscriberDrops: this.pendingDrops, outageMs: this.pendingOutageMs, retentionMs: this.deps.retentionMs?.() ?? 60_000};
			this.pendingDrops = 0;
			this.pendingOutageMs = 0;
			const gap = this.ledger.evaluate(this.deps.delivered!(), drainedAt, context);
			if (gap) this.report(gap);
		}

		this.received += result.received;
		if (result.received > 0) this.clear();
		if (due) {
			const window = this.lastCheck === null ? 0 : now - this.lastCheck;
			this.lastCheck = now;
			if (reading) await this.judge([...reading.values()].reduce((a, b) => a + b, 0), window);
		}
		return result;
	}

	describe(): BackendDescription {
		const inner = this.inner.describe?.() ?? {};
		const gaps = this.gaps.map(g => ({...g}));
		return {...inner, ...(this.warning ? {warnings: [...(inner.warnings ?? []), this.warning]} : {}), gaps};
	}

	private report(gap: Gap): void {
		const at = this.deps.now();
		const known = this.gaps.includes(gap);
		if (!known) {
			this.gaps.push(gap);
			if (this.gaps.length > GAPS_KEPT) this.gaps.shift();
		}
		this.deps.logger.warn(known ? `the gap grew: ${gap.message}` : gap.message, {count: gap.count, cause: gap.cause, from: new Date(gap.from).toISOString(), to: new Date(gap.to).toISOString()});
		this.deps.bus.emit('gap', {...gap}, at);
	}

	private async judge(served: number, windowMs: number): Promise<void> {
		const subscribed = this.inner.describe?.().transport?.state === 'subscribed';
		const verdict = subscribed ? {kind: 'baseline' as const} : judgeStarvation(this.served, served, this.received);
		this.served = served;
		this.received = 0;
		if (verdict.kind !== 'starved' || this.warning) return;
		// Statistics switched off explain the silence as well; the collector says that itself.
		if ((await this.deps.client.statisticsEnabled().catch(() => null)) === false) return;
		this.warning = starvationWarning(verdict.served, Math.max(1, Math.round(windowMs / 60_000)), this.inner.name);
		const at = this.deps.now();
		this.deps.logger.warn(this.warning);
		this.deps.bus.emit('warning', {at, message: this.warning}, at);
	}

	private clear(): void {
		if (!this.warning) return;
		this.warning = null;
		this.deps.logger.info('usage records arrive again; the starvation warning is cleared');
	}

	/** An auth failure stops collection as anywhere else; any other failure skips this reading. */
	private async readServed(): Promise<Map<string, number> | null> {
		try {
			const {text} = await this.deps.client.getAuthFiles();
			return readServedByCredential(parseJson(text, '/auth-files'));
		} catch (error) {
			if (error instanceof CpaError && !error.retryable) throw error;
			this.deps.logger.debug('could not read /auth-files counters; this pass is not compared with them', {error: String(error)});
			return null;
		}
	}
}
