import {parseJson, type CpaClient} from '../cliproxy/client.js';
import {CpaPayloadError} from '../cliproxy/errors.js';
import {counterResiduals} from '../core/cpa/counter-delta.js';
import {formatCpaVersion} from '../core/cpa/cpa-version.js';
import {FieldError} from '../core/cpa/fields.js';
import {planLegacyPoll, readLegacyResponse} from '../core/cpa/legacy-usage.js';
import {hashSecret} from '../core/cpa/secrets.js';
import type {Logger} from '../runtime/logger.js';
import type {LegacyStateStore} from '../store/legacy-state.js';
import type {StateStore} from '../store/state.js';
import type {UsageWriter} from '../store/usage-writer.js';
import type {Db} from '../store/database.js';
import {storedKeyLookup} from '../store/stored-keys.js';
import type {UsageRecord} from '../core/cpa/usage-record.js';
import type {BackendPassResult, CollectorBackend} from './backend.js';
import type {RecordSink} from './record-sink.js';

/** Longest a request may run before its detail lands behind newer ones (see planLegacyPoll). */
export const LEGACY_MARGIN_MS = 60 * 60_000;
const HIGH_WATER_KEY = 'legacy_high_water_ms';
/** The high-water mark's state key: the first instance's is the key a single-CPA database kept. */
const highWaterKey = (instance: string) => (instance === '' ? HIGH_WATER_KEY : `${HIGH_WATER_KEY}:${instance}`);

export type LegacyBackendDeps = {
	client: CpaClient;
	db: Db;
	writer: UsageWriter;
	sink: RecordSink;
	legacyState: LegacyStateStore;
	state: StateStore;
	salt: string;
	logger: Logger;
	now: () => number;
	/** Where a counter delta with no previous poll to bound it begins: now less this. */
	intervalMs: number;
};

/**
 * CPA v6 `GET /usage`: cumulative, in memory, reset when CPA restarts. New requests are the
 * details not seen before, found from per-array cursors; what the counters add beyond the
 * details becomes a counter delta, spread over the time since the previous poll.
 */
export class LegacyBackend implements CollectorBackend {
	readonly name = 'legacy' as const;

	private readonly isStored: (record: UsageRecord) => boolean;
	private readonly highWaterKey: string;

	constructor(private readonly deps: LegacyBackendDeps) {
		this.isStored = storedKeyLookup(deps.db, deps.salt, deps.writer.instance);
		this.highWaterKey = highWaterKey(deps.writer.instance);
	}

	async pass(): Promise<BackendPassResult> {
		const {client} = this.deps;
		const {text} = await client.getUsage();
		return this.process(text, formatCpaVersion(client.version));
	}

	/** Everything after the HTTP request: the part `npm run bench` measures against JSON.parse. */
	process(text: string, cpaVersion: string | null): BackendPassResult {
		const {writer, sink, legacyState, state, salt, logger, now} = this.deps;
		let payload;
		try {
			payload = readLegacyResponse(parseJson(text, '/usage'));
		} catch (error) {
			if (error instanceof FieldError) throw new CpaPayloadError(`/usage: ${error.message}; nothing was written`);
			throw error;
		}
		const at = now();
		const stored = legacyState.load();
		const highWaterMs = state.getNumber(this.highWaterKey);
		const plan = planLegacyPoll(payload, stored.cursors, {salt, apiId: api => hashSecret(api, salt), highWaterMs, marginMs: LEGACY_MARGIN_MS, now: at, isStored: this.isStored});
		if (plan.provenStored > 0) logger.debug('rescanned details found stored by their dedupe key', {count: plan.provenStored});
		const {residuals, events} = counterResiduals(stored.baseline, plan.arrays);
		const previous = legacyState.previousSnapshot();
		if (previous && payload.totals.totalRequests < previous.totalRequests) {
			logger.warn('CPA restart detected: its request counter went down; reading its details afresh', {
				previous: previous.totalRequests,
				current: payload.totals.totalRequests,
			});
		}
		for (const e of events) {
			if (e.kind === 'restart') logger.info('counter restart for a model; using its current value as the increment', {api: e.apiLabel, model: e.model});
			else logger.warn('false start: a model new to the counters arrived with history that has no details; skipped to avoid a spike', {
				api: e.apiLabel,
				model: e.model,
				requests: e.requests,
				tokens: e.tokens,
			});
		}
		sink.reportProblems('legacy', plan.problems);
		const interval = {start: previous?.collectedAt ?? at - this.deps.intervalMs, end: at};
		const residualRequests = residuals.reduce((sum, r) => sum + r.requests, 0);
		let newest = highWaterMs ?? -Infinity;
		for (const r of plan.records) if (r.timestampMs > newest) newest = r.timestampMs;
		const result = writer.ingest(plan.records, at, batch => {
			writer.addCounterDeltas(batch, residuals, interval, at);
			legacyState.save(payload, plan.arrays, {now: at, cpaVersion, newDetails: plan.records.length, residualRequests});
			if (newest !== (highWaterMs ?? -Infinity)) state.set(this.highWaterKey, String(newest));
		});
		sink.reportProblems('legacy', result.refused);
		sink.announce('legacy', result);
		return {
			received: plan.records.length + plan.problems.length + plan.provenStored,
			inserted: result.inserted,
			duplicates: result.duplicates + plan.provenStored,
			skipped: plan.problems.length + result.refused.length,
		};
	}
}
