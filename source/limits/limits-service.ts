import type {EventBus} from '../collector/event-bus.js';
import {validateLimitInput, type LimitInput} from '../core/limits/input.js';
import {modelMatcher} from '../core/limits/pattern.js';
import type {LimitConfig, LimitStatus} from '../core/limits/types.js';
import type {Zone} from '../core/time/zone.js';
import type {Db} from '../store/database.js';
import {LimitConfigStore} from '../store/limit-configs.js';
import type {UsageReader} from '../store/usage-reader.js';
import {evaluateLimits} from './evaluate.js';

export type AddResult = {status: LimitStatus; warnings: string[]};

/**
 * Rate-limit configs and their status. Recomputes after every collection pass (subscribed to
 * the bus `pass` event), on every change and on reset; each recompute upserts
 * `rate_limit_status` and emits `limits {at, statuses}` on the bus.
 */
const IDLE_RECOMPUTE_MS = 30_000;

export class LimitsService {
	private readonly store: LimitConfigStore;
	private readonly unsubscribe: () => void;
	private lastEmitted = 0;
	private lastComputed = -Infinity;

	constructor(
		private readonly db: Db,
		private readonly zone: Zone,
		private readonly bus: EventBus,
		private readonly now: () => number,
	) {
		this.store = new LimitConfigStore(db);
		this.unsubscribe = bus.on('pass', pass => {
			// New rows recompute at once; otherwise only time moves the gauges (rolling windows
			// age, boundaries pass), which is worth a recompute every half minute, not every pass.
			if (pass.inserted === 0 && this.now() - this.lastComputed < IDLE_RECOMPUTE_MS) return;
			// The bus calls listeners inside the collector's pass: a failure here must not fail it.
			try {
				this.recompute();
			} catch (error) {
				const at = this.now();
				bus.emit('error', {at, kind: 'limits', message: `rate-limit status not updated: ${(error as Error).message}`, fatal: false}, at);
			}
		});
	}

	configs(): LimitConfig[] {
		return this.store.all();
	}

	/** Every config with a status computed now; writes nothing. */
	list(read?: UsageReader): LimitStatus[] {
		return evaluateLimits(this.store.all(), {db: this.db, zone: this.zone, now: this.now(), read});
	}

	/** One config's status now; null for an unknown id. */
	status(configId: number): LimitStatus | null {
		const config = this.store.get(configId);
		return config ? evaluateLimits([config], {db: this.db, zone: this.zone, now: this.now()})[0]! : null;
	}

	/** Computes every status, upserts `rate_limit_status` and emits a `limits` event. */
	recompute(): LimitStatus[] {
		const at = this.now();
		this.lastComputed = at;
		const statuses = evaluateLimits(this.store.all(), {db: this.db, zone: this.zone, now: at});
		this.store.saveStatuses(statuses);
		// Nothing to say while no limit is configured; an empty list once the last one goes.
		if (statuses.length > 0 || this.lastEmitted > 0) this.bus.emit('limits', {at, statuses}, at);
		this.lastEmitted = statuses.length;
		return statuses;
	}

	/** A manual reset: the window starts now until its next natural boundary. Null for an unknown id. */
	reset(configId: number): LimitStatus | null {
		if (!Number.isSafeInteger(configId)) return null;
		const at = this.now();
		if (!this.store.setAnchor(configId, at, at)) return null;
		return this.recompute().find(s => s.config.id === configId) ?? null;
	}

	/** Validates (LimitInputError names the bad field), stores, recomputes. Warns when the pattern matches no model seen so far. */
	add(input: LimitInput): AddResult {
		const limit = validateLimitInput(input);
		const id = this.store.insert(limit, this.now());
		const status = this.recompute().find(s => s.config.id === id)!;
		const warnings: string[] = [];
		if (this.matchingModels(limit.model_pattern).length === 0) {
			warnings.push(
				`model pattern ${JSON.stringify(limit.model_pattern)} matches no model seen so far; it will count usage once a matching model appears (patterns are case-insensitive substrings, or globs with * and ?)`,
			);
		}
		return {status, warnings};
	}

	/** False for an unknown id. */
	remove(configId: number): boolean {
		if (!Number.isSafeInteger(configId) || !this.store.remove(configId)) return false;
		this.recompute();
		return true;
	}

	/** The stored model names a pattern matches, sorted. */
	matchingModels(pattern: string): string[] {
		const matcher = modelMatcher(pattern);
		return this.store.seenModels().filter(matcher.test).sort();
	}

	dispose(): void {
		this.unsubscribe();
	}
}
