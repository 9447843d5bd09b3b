import {describe, expect, it} from 'vitest';
import {GapLedger} from '../../../source/core/cpa/gap-ledger.js';

const t0 = Date.parse('2026-11-23T09:00:00Z');
const reading = (at: number, ...counts: number[]) => ({at, byCredential: new Map(counts.map((c, i) => [`cred-${i}`, c]))});
const quiet = {subscriberDrops: 0, outageMs: 0, retentionMs: 60_000};

describe('GapLedger', () => {
	it('reports a deficit seen twice in a row once, grows it with later losses, and never counts it again', () => {
		const ledger = new GapLedger();
		ledger.baseline(reading(t0, 10, 5), 100);
		ledger.observe(reading(t0 + 30_000, 30, 5));
		// 20 served, 12 arrived: not yet called a gap (they may still be on their way).
		expect(ledger.evaluate(112, t0 + 30_001, quiet)).toBeNull();
		ledger.observe(reading(t0 + 60_000, 30, 5));
		const gap = ledger.evaluate(112, t0 + 60_001, quiet);
		expect(gap).toMatchObject({count: 8, cause: 'unexplained', from: t0});
		for (let i = 0; i < 3; i++) {
			ledger.observe(reading(t0 + 90_000 + i, 30, 5));
			expect(ledger.evaluate(112, t0 + 90_001 + i, quiet)).toBeNull();
		}
		ledger.observe(reading(t0 + 120_000, 40, 5));
		expect(ledger.evaluate(118, t0 + 120_001, quiet)).toBeNull();
		ledger.observe(reading(t0 + 150_000, 40, 5));
		// Settled in between: a new gap of the 4 lost since, from when everything last added up.
		expect(ledger.evaluate(118, t0 + 150_001, quiet)).toMatchObject({count: 4, from: t0 + 90_003});
	});

	it('a counter that went down is a restart: its new value is the increment, the cause says restart', () => {
		const ledger = new GapLedger();
		ledger.baseline(reading(t0, 50), 0);
		ledger.observe(reading(t0 + 1, 90));
		expect(ledger.evaluate(0, t0 + 2, quiet)).toBeNull();
		ledger.observe(reading(t0 + 3, 4));
		expect(ledger.evaluate(4, t0 + 4, quiet)).toMatchObject({count: 40, cause: 'cpa_restart'});
	});

	it('small deficits and records arriving early are not gaps; an outage past the retention is named', () => {
		const ledger = new GapLedger();
		ledger.baseline(reading(t0, 0), 0);
		ledger.observe(reading(t0 + 1, 2));
		expect(ledger.evaluate(0, t0 + 2, quiet)).toBeNull();
		ledger.observe(reading(t0 + 3, 2));
		expect(ledger.evaluate(0, t0 + 4, quiet)).toBeNull();
		ledger.observe(reading(t0 + 5, 2));
		expect(ledger.evaluate(9, t0 + 6, quiet)).toBeNull();
		ledger.observe(reading(t0 + 7, 30));
		expect(ledger.evaluate(9, t0 + 8, {...quiet, outageMs: 90_000})).toBeNull();
		ledger.observe(reading(t0 + 9, 30));
		expect(ledger.evaluate(9, t0 + 10, quiet)).toMatchObject({count: 21, cause: 'retention'});
	});
});
