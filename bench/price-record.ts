import {readQueueRecord} from '../source/core/cpa/queue-record.js';
import type {UsageRecord} from '../source/core/cpa/usage-record.js';
import {bundledSnapshot} from '../source/pricing/bundled.js';
import {PriceBook} from '../source/pricing/price-book.js';
import {v7Record, readV7} from '../test/support/fixtures.js';
import {fmt, gc, median, MODEL_MIX, type Bench} from './harness.js';

const RECORDS = 20_000;
const ROUNDS = 50;

/** The queue-ingest bench's model mix, plus a v6 row (no provider) and an unknown model. */
const MODELS: ReadonlyArray<readonly [string, string]> = [...MODEL_MIX, ['openai-compatibility', 'glm-99']];

export const priceRecord: Bench = {
	id: 'price-record',
	title: 'Pricing one request: PriceBook.priceRecord on the hot path',
	async run() {
		const records: UsageRecord[] = [];
		for (let n = 0; n < RECORDS; n++) {
			const [provider, model] = MODELS[n % MODELS.length]!;
			const r = readV7({at: 1_795_000_000_000 + n, provider, model, input: 1000 + (n % 5000), output: 100 + (n % 700), reasoning: n % 3 ? 0 : 50, cacheRead: n % 4 ? 0 : 4000, cacheCreation: n % 9 ? 0 : 1200}, 'bench-salt', n % 2 ? '7.2.140' : '7.0.3');
			// a tenth from CPA v6 (no provider), one in eight in the priority tier, one in sixteen flex
			const tier = n % 8 === 3 ? 'priority' : n % 16 === 5 ? 'flex' : r.serviceTier;
			records.push(n % 10 === 9 ? {...r, provider: null, serviceTier: tier} : {...r, serviceTier: tier});
		}
		const book = new PriceBook(bundledSnapshot().tables);
		let sink = 0;
		for (const r of records) sink += book.priceRecord(r).costUsd; // warm: every model matched once
		const perRecordNs: number[] = [];
		for (let round = 0; round < ROUNDS; round++) {
			gc();
			const t0 = performance.now();
			for (const r of records) sink += book.priceRecord(r).costUsd;
			perRecordNs.push(((performance.now() - t0) * 1e6) / RECORDS);
		}
		if (!(sink > 0)) throw new Error('pricing produced no cost');
		const ns = median(perRecordNs);
		return {
			figure: `${fmt(ns)} ns per record`,
			budget: '< 1,000 ns per record (queue ingest spends about 20,000 ns per record in all)',
			pass: ns < 1000,
			method: `${fmt(RECORDS)} parsed v7.0.3/v7.2.140 records over 8 models (Claude, Codex, Gemini, OpenAI-compatible, one unknown) with cache and reasoning tokens, a tenth without provider (v6 rows), one in eight in the priority and one in sixteen in the flex service tier, token_breakdown on half; the real PriceBook over the bundled snapshot, matches cached after a warm-up pass; median of ${ROUNDS} rounds.`,
		};
	},
};
