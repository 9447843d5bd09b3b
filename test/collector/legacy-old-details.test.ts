import {describe, expect, it} from 'vitest';
import {v6Detail} from '../support/fixtures.js';
import {collectorFor, count, startStandIn} from '../support/harness.js';

const noon = Date.parse('2026-11-23T12:00:00Z');
const API = 'POST /v1/chat/completions';

describe('CPA v6: old-stamped details on a details array never seen before', () => {
	it('stores every imported or late detail, skips only what is provably stored, and says so honestly', async () => {
		const cpa = await startStandIn({generation: 'v6'});
		const h = collectorFor(cpa);
		for (let i = 0; i < 50; i++) cpa.record(API, 'gpt-5-codex', v6Detail({at: noon + i * 1000, input: 100 + i}));
		expect(await h.collector.trigger()).toMatchObject({ok: true, inserted: 50});

		// CPA's /usage/import of another instance's export: a model new here, stamped 3 hours back,
		// and a 3-hour stream from a client key never seen, both far behind the newest stored request.
		const imported = Array.from({length: 100}, (_, i) => v6Detail({at: noon - 3 * 3_600_000 + i * 1000, input: 300 + i}));
		for (const d of imported) cpa.record(API, 'claude-opus-4-1', d);
		for (let i = 0; i < 36; i++) cpa.record('sk-new-client-key-000111222333', 'gpt-5-codex', v6Detail({at: noon - 4 * 3_600_000 + i * 300_000, input: 50 + i}));
		const pass = await h.collector.trigger();
		expect(pass).toMatchObject({ok: true, received: 136, inserted: 136, skipped: 0});
		expect(count(h, 'SELECT count(*) n FROM requests')).toBe(186);

		// CPA restarts and the same export is imported again: every array is new to it, every detail old and stored.
		cpa.restart();
		cpa.record(API, 'claude-opus-4-1', v6Detail({at: noon - 3 * 3_600_000 + 500_000, input: 999}));
		for (const d of imported) cpa.record(API, 'claude-opus-4-1', d);
		const again = await h.collector.trigger();
		expect(again).toMatchObject({ok: true, received: 101, inserted: 1, skipped: 0});
		expect(h.collector.status().totals.duplicates).toBe(100);
		expect(count(h, 'SELECT count(*) n FROM requests')).toBe(187);
		expect(count(h, 'SELECT count(DISTINCT dedupe_key) n FROM requests')).toBe(187);
	});
});
