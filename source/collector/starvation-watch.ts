import {parseJson, type CpaClient} from '../cliproxy/client.js';
import {CpaError} from '../cliproxy/errors.js';
import {judgeStarvation, readServedCount} from '../core/cpa/starvation.js';
import type {Logger} from '../runtime/logger.js';
import type {BackendDescription, BackendPassResult, CollectorBackend} from './backend.js';
import type {EventBus} from './event-bus.js';

export const STARVATION_CHECK_MS = 5 * 60_000;

export type StarvationWatchDeps = {client: CpaClient; logger: Logger; bus: EventBus; now: () => number; intervalMs?: number};

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
 * Wraps a queue-reading backend and looks for the one-consumer trap's symptom: CPA's own
 * request counters rising while nothing reaches us. Checked every few minutes, not every
 * pass; counters are read before the pass drains, so what they count has been queued by then.
 * Skipped while a RESP subscription is up: CPA sends every subscriber every record.
 */
export class StarvationWatch implements CollectorBackend {
	private lastCheck: number | null = null;
	private served: number | null = null;
	private received = 0;
	private warning: string | null = null;
	private readonly intervalMs: number;

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

	async pass(): Promise<BackendPassResult> {
		const now = this.deps.now();
		const due = this.lastCheck === null || now - this.lastCheck >= this.intervalMs;
		const served = due ? await this.readServed() : null;
		const result = await this.inner.pass();
		this.received += result.received;
		if (result.received > 0) this.clear();
		if (due) {
			const window = this.lastCheck === null ? 0 : now - this.lastCheck;
			this.lastCheck = now;
			if (served !== null) await this.judge(served, window);
		}
		return result;
	}

	describe(): BackendDescription {
		const inner = this.inner.describe?.() ?? {};
		return this.warning ? {...inner, warnings: [...(inner.warnings ?? []), this.warning]} : inner;
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

	/** An auth failure stops collection as anywhere else; any other failure skips this check. */
	private async readServed(): Promise<number | null> {
		try {
			const {text} = await this.deps.client.getAuthFiles();
			return readServedCount(parseJson(text, '/auth-files'));
		} catch (error) {
			if (error instanceof CpaError && !error.retryable) throw error;
			this.deps.logger.debug('could not read /auth-files counters; starvation check skipped', {error: String(error)});
			return null;
		}
	}
}
