import type {Collector} from './collector.js';
import type {PassEvent} from './event-bus.js';
import type {CollectorStatus} from './status.js';

/** What the server, the dashboard and `--once` use of the collection: one CPA's collector or several. */
export type CollectorHandle = {
	status(): CollectorStatus;
	trigger(): Promise<PassEvent>;
	readonly passInProgress: boolean;
	start(): void;
	stop(): Promise<void>;
};

/**
 * The collectors of several CPAs as one: each runs on its own schedule with its own backoff, so
 * one that is down or stopped never holds up the others. The status is the first instance's (the
 * fields a single-CPA collector has always had) with every instance's under `instances`.
 */
export class CollectorGroup implements CollectorHandle {
	constructor(readonly collectors: readonly Collector[]) {
		if (collectors.length === 0) throw new Error('a collector group needs at least one collector');
	}

	status(): CollectorStatus {
		const all = this.collectors.map(c => c.status());
		return {...all[0]!, instances: all};
	}

	get passInProgress(): boolean {
		return this.collectors.some(c => c.passInProgress);
	}

	start(): void {
		for (const c of this.collectors) c.start();
	}

	async stop(): Promise<void> {
		await Promise.all(this.collectors.map(c => c.stop()));
	}

	/** A pass of every instance at once; the event adds them up and names the instances that failed. */
	async trigger(): Promise<PassEvent> {
		const events = await Promise.all(this.collectors.map(c => c.trigger()));
		if (events.length === 1) return events[0]!;
		const failed = events.map((e, i) => ({e, name: this.collectors[i]!.status().instance ?? String(i + 1)})).filter(x => !x.e.ok);
		const sum = (k: 'received' | 'inserted' | 'skipped') => events.reduce((n, e) => n + e[k], 0);
		return {
			at: Math.max(...events.map(e => e.at)),
			ok: failed.length === 0,
			durationMs: Math.max(...events.map(e => e.durationMs)),
			backend: events[0]!.backend,
			received: sum('received'),
			inserted: sum('inserted'),
			skipped: sum('skipped'),
			...(failed.length > 0 ? {error: failed.map(x => `${x.name}: ${x.e.error ?? 'failed'}`).join('; ')} : {}),
		};
	}
}
