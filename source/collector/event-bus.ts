import {EventEmitter} from 'node:events';
import type {AlertEvent} from '../core/alerts/alert-message.js';
import type {BackendName} from '../core/cpa/cpa-version.js';
import type {Gap} from '../core/cpa/gap-ledger.js';
import type {ModelDelta} from '../store/rollups.js';
import type {CollectorStatus} from './status.js';

export type UsageDeltaEvent = {
	at: number;
	backend: BackendName;
	inserted: number;
	duplicates: number;
	requests: number;
	failed: number;
	tokens: number;
	costUsd: number;
	estimatedRequests: number;
	byModel: ModelDelta[];
	/** Local dates whose rollups changed. */
	days: string[];
};

export type PassEvent = {
	at: number;
	ok: boolean;
	durationMs: number;
	backend: BackendName | null;
	received: number;
	inserted: number;
	skipped: number;
	error?: string;
	/** The CPA the pass read (its configured name). */
	instance?: string;
};

export type CollectorEventMap = {
	usage_delta: UsageDeltaEvent;
	pass: PassEvent;
	error: {at: number; kind: string; message: string; fatal: boolean};
	warning: {at: number; message: string};
	/** Requests CPA counted that never reached us: a new gap, or one that grew (same `from`). */
	gap: Gap;
	status: CollectorStatus;
	/** Emitted by later layers (limits) through the same bus. */
	limits: {at: number; statuses: unknown[]};
	/** CPA said its credentials or config changed (`{"refresh":true}` on the usage channel). */
	cpa_refresh: {at: number; /** The tag of the CPA that said so ('' the first). */ instance?: string};
	/** Accounts were listed again, or an account's state changed (errors channel, auth-files). */
	accounts: {at: number; accounts: string[]};
	/** Official quota windows changed for these accounts (headers, errors channel, quota polls). */
	quotas: {at: number; accounts: string[]; source: 'headers' | 'api' | 'errors'};
	/** A budget alert: a limit or an official quota window crossed a threshold (alerts/alert-service.ts). */
	alert: AlertEvent;
};

export type EventName = keyof CollectorEventMap;
export type BusEvent<K extends EventName = EventName> = {id: number; type: K; at: number; data: CollectorEventMap[K]};

/**
 * Typed events from the collector to whoever listens (the TUI hooks, the SSE stream), plus
 * the last `capacity` of them for `GET /api/collector/events`. `status` changes are not
 * kept: they are state, not history.
 */
export class EventBus {
	private readonly emitter = new EventEmitter();
	private readonly ring: BusEvent[] = [];
	private nextId = 1;

	constructor(readonly capacity = 200) {
		this.emitter.setMaxListeners(0);
	}

	emit<K extends EventName>(type: K, data: CollectorEventMap[K], at = Date.now()): void {
		const event = {id: this.nextId++, type, at, data} as BusEvent<K>;
		if (type !== 'status') {
			this.ring.push(event as BusEvent);
			if (this.ring.length > this.capacity) this.ring.shift();
		}
		// Prefixed: Node's EventEmitter throws when an 'error' event has no listener.
		this.emitter.emit(`e:${type}`, data, event);
		this.emitter.emit('*', event);
	}

	on<K extends EventName>(type: K, listener: (data: CollectorEventMap[K], event: BusEvent<K>) => void): () => void {
		this.emitter.on(`e:${type}`, listener as (...args: unknown[]) => void);
		return () => this.emitter.off(`e:${type}`, listener as (...args: unknown[]) => void);
	}

	onAny(listener: (event: BusEvent) => void): () => void {
		this.emitter.on('*', listener);
		return () => this.emitter.off('*', listener);
	}

	/** Oldest first, newest last. */
	recent(limit = this.capacity): BusEvent[] {
		return this.ring.slice(-limit);
	}

	/** Events emitted since start (the ring keeps only the last `capacity`). */
	get emitted(): number {
		return this.nextId - 1;
	}

	listenerCount(type: EventName | '*'): number {
		return this.emitter.listenerCount(type === '*' ? type : `e:${type}`);
	}
}
