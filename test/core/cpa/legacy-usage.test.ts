import {describe, expect, it} from 'vitest';
import {FieldError} from '../../../source/core/cpa/fields.js';
import {planLegacyPoll, readLegacyResponse, type ArrayCursor, type PlanOptions} from '../../../source/core/cpa/legacy-usage.js';
import {hashSecret} from '../../../source/core/cpa/secrets.js';
import {v6Detail} from '../../support/fixtures.js';

const salt = 's';
const t0 = Date.parse('2026-11-20T08:00:00Z');
const options = (over: Partial<PlanOptions> = {}): PlanOptions => ({salt, apiId: api => hashSecret(api, salt), highWaterMs: null, marginMs: 3_600_000, now: t0 + 86_400_000, ...over});

function payload(details: Record<string, Record<string, unknown[]>>, counters?: Record<string, Record<string, [number, number]>>) {
	const apis: Record<string, unknown> = {};
	for (const [api, models] of Object.entries(details)) {
		const m: Record<string, unknown> = {};
		for (const [model, list] of Object.entries(models)) {
			const [req, tok] = counters?.[api]?.[model] ?? [list.length, list.reduce((s: number, d) => s + ((d as {tokens: {total_tokens: number}}).tokens.total_tokens ?? 0), 0)];
			m[model] = {total_requests: req, total_tokens: tok, details: list};
		}
		apis[api] = {total_requests: 0, total_tokens: 0, models: m};
	}
	return readLegacyResponse({usage: {total_requests: 0, apis}, failed_requests: 0});
}

describe('readLegacyResponse', () => {
	it('rejects bad containers, naming the field and never the raw client key', () => {
		expect(() => readLegacyResponse([])).toThrow(FieldError);
		expect(() => readLegacyResponse({})).toThrow('usage: missing');
		expect(() => readLegacyResponse({usage: {total_requests: '3'}})).toThrow('usage.total_requests');
		try {
			readLegacyResponse({usage: {apis: {'sk-verysecretclientkey123': {models: {m: {details: {}}}}}}});
			expect.unreachable();
		} catch (error) {
			expect((error as Error).message).toContain('usage.apis[sk-…y123].models[m].details');
			expect((error as Error).message).not.toContain('verysecret');
		}
	});

	it('accepts the pre-v6.3 shape without failed_requests and with null details', () => {
		const p = readLegacyResponse({usage: {total_requests: 1, apis: {'POST /v1/chat/completions': {models: {'gpt-4o': {total_requests: 1, total_tokens: 5, details: null}}}}}});
		expect(p.apis[0]!.models[0]!.details).toBeNull();
	});
});

describe('planLegacyPoll', () => {
	it('reads everything on the first poll and nothing the next time', () => {
		const p = payload({'POST /v1/chat/completions': {'gpt-4o': [v6Detail({at: t0}), v6Detail({at: t0 + 1000})]}});
		const first = planLegacyPoll(p, new Map(), options());
		expect(first.records).toHaveLength(2);
		expect(first.records[0]).toMatchObject({endpoint: 'POST /v1/chat/completions', clientKeyMasked: null, model: 'gpt-4o', origin: 'legacy'});
		const cursors = new Map(first.arrays.map(a => [a.arrayId, a.cursor] as [string, ArrayCursor]));
		const second = planLegacyPoll(p, cursors, options({highWaterMs: t0 + 1000}));
		expect(second.records).toHaveLength(0);
		expect(second.arrays[0]!.observed).toEqual({requests: 0, tokens: 0});
	});

	it('reads only appended details, including one whose timestamp is older than everything (a long request)', () => {
		const list = [v6Detail({at: t0}), v6Detail({at: t0 + 60_000})];
		const first = planLegacyPoll(payload({k: {m: list}}), new Map(), options());
		const cursors = new Map(first.arrays.map(a => [a.arrayId, a.cursor] as [string, ArrayCursor]));
		const appended = [...list, v6Detail({at: t0 + 120_000}), v6Detail({at: t0 - 3 * 3_600_000, input: 7})];
		const next = planLegacyPoll(payload({k: {m: appended}}), cursors, options({highWaterMs: t0 + 60_000}));
		expect(next.records.map(r => r.timestampMs)).toEqual([t0 + 120_000, t0 - 3 * 3_600_000]);
		expect(next.arrays[0]!.rescanned).toBe(false);
	});

	it('rescans a reset array, leaving out an old detail only when its dedupe key is stored, never by time alone', () => {
		const first = planLegacyPoll(payload({k: {m: [v6Detail({at: t0}), v6Detail({at: t0 + 1})]}}), new Map(), options());
		const cursors = new Map(first.arrays.map(a => [a.arrayId, a.cursor] as [string, ArrayCursor]));
		// After a restart the array holds different details.
		const restarted = payload({k: {m: [v6Detail({at: t0 - 2 * 3_600_000}), v6Detail({at: t0 + 5000, input: 3})]}});
		const stored = new Set<number>([t0 - 2 * 3_600_000]);
		const asked: number[] = [];
		const isStored = (r: {timestampMs: number}) => (asked.push(r.timestampMs), stored.has(r.timestampMs));
		const plan = planLegacyPoll(restarted, cursors, options({highWaterMs: t0 + 1, isStored}));
		expect(plan.arrays[0]!.rescanned).toBe(true);
		expect(plan.records.map(r => r.timestampMs)).toEqual([t0 + 5000]);
		expect(plan.provenStored).toBe(1);
		// Only what is older than the cut-off is looked up.
		expect(asked).toEqual([t0 - 2 * 3_600_000]);
		expect(plan.arrays[0]!.observed.requests).toBe(2);

		stored.clear();
		expect(planLegacyPoll(restarted, cursors, options({highWaterMs: t0 + 1, isStored})).records).toHaveLength(2);
		expect(planLegacyPoll(restarted, cursors, options({highWaterMs: t0 + 1})).records).toHaveLength(2);
	});

	it('keeps old-stamped details on an array it never saw (an import, a new model or client key)', () => {
		const seen = planLegacyPoll(payload({k: {m: [v6Detail({at: t0})]}}), new Map(), options());
		const cursors = new Map(seen.arrays.map(a => [a.arrayId, a.cursor] as [string, ArrayCursor]));
		const imported = Array.from({length: 5}, (_, i) => v6Detail({at: t0 - 3 * 3_600_000 + i}));
		const plan = planLegacyPoll(payload({k: {m: [v6Detail({at: t0})], 'new-model': imported}}), cursors, options({highWaterMs: t0, isStored: () => false}));
		expect(plan.records.map(r => r.model)).toEqual(Array(5).fill('new-model'));
		expect(plan.provenStored).toBe(0);
	});

	it('keys a detail like CPA import does, and masks client keys that name an api', () => {
		const key = 'sk-abcdefghijklmnop1234';
		const p = payload({[key]: {'claude-sonnet-4': [v6Detail({at: t0})]}});
		const plan = planLegacyPoll(p, new Map(), options());
		expect(plan.records[0]).toMatchObject({clientKeyMasked: 'sk-…1234', endpoint: null});
		expect(plan.arrays[0]!.apiLabel).toBe('sk-…1234');
		expect(plan.arrays[0]!.arrayId).not.toContain('abcdefgh');
		expect(plan.arrays[0]!.cursor.lastKey).not.toContain('abcdefgh');
	});

	it('reports malformed details by position and keeps the rest', () => {
		const p = payload({'POST /v1/messages': {m: [v6Detail({at: t0}), {timestamp: 'never', tokens: {}}, {...v6Detail({at: t0 + 1}), failed: 'yes'}]}});
		const plan = planLegacyPoll(p, new Map(), options());
		expect(plan.records).toHaveLength(1);
		expect(plan.problems.map(x => x.field)).toEqual(['POST /v1/messages m details[1].timestamp', 'POST /v1/messages m details[2].failed']);
	});
});
