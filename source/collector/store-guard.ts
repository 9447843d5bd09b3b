import type {Logger} from '../runtime/logger.js';
import type {Db} from '../store/database.js';
import {storeFailure, StoreUnavailableError, type StoreFailure} from '../store/store-failure.js';
import type {EventBus} from './event-bus.js';
import type {Spool, SpoolEntry} from './spool.js';

/** How often a store that failed is tried again, with one small write. */
export const STORE_PROBE_MS = 2000;

export type StoreStatus = {
	up: boolean;
	/** When `up` last changed. */
	since: number;
	/** SQLite's code for the failure (`SQLITE_FULL`, `SQLITE_READONLY`, …), null while up. */
	code: string | null;
	error: string | null;
	/** Popped pages waiting to be committed, and the records in them. */
	spooledPages: number;
	spooledRecords: number;
	spoolFile: string | null;
	/** Why the spool file could not be written, when it could not. */
	spoolError: string | null;
	/** Pages held only in memory (the spool file failed too): lost if the process ends. */
	memoryOnly: number;
	lastProbeAt: number | null;
	/** The whole state in one line, for people. */
	summary: string;
};

export type StoreGuardDeps = {db: Db; spool: Spool; logger: Logger; bus: EventBus; now: () => number; probeIntervalMs?: number};

/**
 * Knows whether the database can take a write, so that nothing is popped from CPA's
 * destructive queue when it cannot. A pass asks `ready()` first: one small write proves the
 * store (and pages already popped are replayed before anything new is taken); a failed commit
 * anywhere calls `down()`, which fsyncs the spool, says so once, and probes on a short
 * interval until a write succeeds, then wakes the collector.
 */
export class StoreGuard {
	private failure: StoreFailure | null = null;
	private since: number;
	private lastProbeAt: number | null = null;
	private timer: NodeJS.Timeout | undefined;
	private replayer: ((entry: SpoolEntry) => void) | null = null;
	private readonly probeStmt;
	private readonly probeMs: number;
	private readonly recoveredListeners: Array<() => void> = [];

	constructor(private readonly deps: StoreGuardDeps) {
		this.since = deps.now();
		this.probeMs = deps.probeIntervalMs ?? STORE_PROBE_MS;
		this.probeStmt = deps.db.prepare<[string]>(
			"INSERT INTO collector_state(key, value) VALUES ('store_probe_at', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
		);
	}

	/** Called when a probe finds the store writable again (each instance's collector runs a pass). */
	onRecovered(listener: () => void): void {
		this.recoveredListeners.push(listener);
	}

	get up(): boolean {
		return this.failure === null;
	}

	get spool(): Spool {
		return this.deps.spool;
	}

	/** How a spooled page is written again (set once the sink exists). */
	replayWith(replayer: (entry: SpoolEntry) => void): void {
		this.replayer = replayer;
	}

	/**
	 * Before a pass pops anything: the store takes a write, and every page popped before is
	 * committed first. Throws StoreUnavailableError (nothing may be popped) when it cannot.
	 */
	ready(): void {
		if (!this.probe()) throw this.error();
		// After a failure the spooled page that failed is the real test: it fits, or nothing new is popped.
		this.replay();
		if (this.failure) this.recovered();
	}

	/** One small committed write; true when it went through (a store that was down stays down until `ready()` replays). */
	probe(): boolean {
		this.lastProbeAt = this.deps.now();
		try {
			this.deps.db.transaction(() => this.probeStmt.run(String(this.lastProbeAt))).immediate();
		} catch (error) {
			const failure = storeFailure(error);
			if (!failure) throw error;
			this.down(failure);
			return false;
		}
		return true;
	}

	/** A write failed for the store's own reasons: stop popping, keep what was popped, say so. */
	down(failure: StoreFailure): StoreUnavailableError {
		const was = this.failure;
		this.failure = failure;
		this.deps.spool.sync();
		if (!was) {
			const {logger, bus, now} = this.deps;
			this.since = now();
			const message = this.message();
			logger.error('the database cannot be written; popping from CPA has stopped', {code: failure.code, error: failure.message, spooled_pages: this.deps.spool.pages, spool: this.deps.spool.file});
			bus.emit('error', {at: this.since, kind: 'store', message, fatal: false}, this.since);
			this.timer = setInterval(() => this.tick(), this.probeMs);
			this.timer.unref();
		}
		return this.error();
	}

	error(): StoreUnavailableError {
		return new StoreUnavailableError(this.failure ?? {code: 'UNKNOWN', message: 'unknown'}, this.message());
	}

	status(): StoreStatus {
		const {spool} = this.deps;
		return {
			up: this.up,
			since: this.since,
			code: this.failure?.code ?? null,
			error: this.failure?.message ?? null,
			spooledPages: spool.pages,
			spooledRecords: spool.records,
			spoolFile: spool.file,
			spoolError: spool.error,
			memoryOnly: spool.memoryOnly,
			lastProbeAt: this.lastProbeAt,
			summary: this.up ? this.upSummary() : this.message(),
		};
	}

	close(): void {
		clearInterval(this.timer);
		this.timer = undefined;
		this.deps.spool.close();
	}

	private replay(): void {
		const {spool, logger} = this.deps;
		if (spool.pages === 0 || !this.replayer) return;
		const pages = spool.pages;
		const records = spool.records;
		for (const entry of spool.entries()) {
			try {
				this.replayer(entry);
			} catch (error) {
				if (error instanceof StoreUnavailableError) throw error;
				const failure = storeFailure(error);
				if (failure) throw this.down(failure);
				// It will never parse: keeping it would block every later page.
				logger.error('a spooled page cannot be read and is dropped', {kind: entry.kind, error: String(error)});
			}
			spool.ack(entry.id);
		}
		logger.info('replayed the records popped while the database could not be written', {pages, records});
	}

	private tick(): void {
		try {
			this.ready();
		} catch (error) {
			if (error instanceof StoreUnavailableError) return;
			this.deps.logger.error('probing the database failed unexpectedly', {error: String(error)});
			return;
		}
		for (const listener of this.recoveredListeners) listener();
	}

	private recovered(): void {
		const {logger, now} = this.deps;
		clearInterval(this.timer);
		this.timer = undefined;
		const downFor = now() - this.since;
		this.failure = null;
		this.since = now();
		logger.info('the database can be written again; what was spooled is written, popping resumes', {down_seconds: Math.round(downFor / 1000)});
		this.deps.bus.emit('warning', {at: this.since, message: 'the database can be written again; collection resumes'});
	}

	private message(): string {
		const f = this.failure;
		const {spool} = this.deps;
		const what = f ? `${f.code}: ${f.message}` : 'unknown';
		let held = '';
		if (spool.pages > 0) {
			const n = `${spool.pages} popped page${spool.pages === 1 ? '' : 's'} (${spool.records} records)`;
			held =
				spool.memoryOnly > 0
					? `; ${n} held in memory only, because the spool file failed too (${spool.error}): they are lost if the collector stops`
					: `; ${n} wait in the spool ${spool.file} and are written first`;
		}
		return `The database cannot be written (${what}): popping from CPA has stopped, so CPA keeps the records (for its queue retention)${held}; probing every ${Math.round(this.probeMs / 1000)} s, collection resumes by itself`;
	}

	private upSummary(): string {
		const {spool} = this.deps;
		if (spool.error) return `database writable; the spool file cannot be written (${spool.error}), so a page in flight is only in memory`;
		return 'database writable';
	}
}
