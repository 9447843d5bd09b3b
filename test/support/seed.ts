import {join} from 'node:path';
import {readQueueRecord} from '../../source/core/cpa/queue-record.js';
import type {Pricer, UsageRecord} from '../../source/core/cpa/usage-record.js';
import type {Zone} from '../../source/core/time/zone.js';
import {openDatabase, type Db} from '../../source/store/database.js';
import {StateStore} from '../../source/store/state.js';
import {UsageWriter} from '../../source/store/usage-writer.js';
import {v7Record, readV7} from './fixtures.js';
import {onCleanup, tempDir} from './temp.js';

/** Prices by input and output tokens; a model called "mystery" is priced at the default, so estimated. */
export const testPricer: Pricer = {
	priceRecord: r => ({costUsd: r.tokens.input * 3e-6 + r.tokens.output * 15e-6, estimated: r.model === 'mystery', ref: 'test'}),
	priceTokenTotal: (_model, tokens) => ({costUsd: tokens * 1e-6, estimated: true, ref: 'test'}),
};

export const MODELS: Array<[string, string]> = [
	['claude', 'claude-sonnet-4-5-20250929'],
	['codex', 'gpt-5-codex'],
	['gemini', 'gemini-2.5-pro'],
	['x', 'mystery'],
];

/**
 * `count` requests over [start, end), at irregular times (a prime stride, so they land in every
 * hour and on both sides of every midnight), across four models, some failed, some cached.
 */
export function spreadRecords(salt: string, start: number, end: number, count: number): UsageRecord[] {
	const out: UsageRecord[] = [];
	const span = end - start;
	for (let i = 0; i < count; i++) {
		const [provider, model] = MODELS[i % MODELS.length]!;
		const at = start + Math.floor(((i * 7919 + 13) % count) * (span / count)) + (i % 997);
		out.push(readV7({at, provider, model, input: 500 + (i % 977), output: 20 + (i % 131), reasoning: i % 4, cacheRead: i % 5 ? 0 : 300, failed: i % 19 === 0, apiKey: `sk-client-${i % 3}-0123456789abcdef`}, salt));
	}
	return out;
}

/** A database file in a temp dir with a priced writer, closed after the test. */
export function seededDb(zone: Zone, pricer: Pricer = testPricer): {db: Db; writer: UsageWriter; salt: string; path: string} {
	const path = join(tempDir(), 'collector.db');
	const db = openDatabase(path);
	onCleanup(() => db.close());
	const salt = new StateStore(db).salt();
	return {db, writer: new UsageWriter(db, zone, salt, pricer), salt, path};
}
