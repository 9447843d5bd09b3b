import {describe, expect, it} from 'vitest';
import {FieldError} from '../../../source/core/cpa/fields.js';
import {readQueueBatch, readQueueRecord} from '../../../source/core/cpa/queue-record.js';
import {goTime, v7Record, type V7Version} from '../../support/fixtures.js';

const salt = 'test-salt';
const at = Date.parse('2026-11-23T10:00:00.250Z');

describe('readQueueRecord', () => {
	it.each<V7Version>(['6.10.8', '7.0.0', '7.0.3', '7.1.24', '7.2.97', '7.2.140'])('reads the fields CPA %s emits', version => {
		const r = readQueueRecord(v7Record({at, input: 1200, output: 300, reasoning: 50, cacheRead: 800, cacheCreation: 100, requestId: 'deadbeef'}, version), salt, at);
		expect(r).toMatchObject({
			timestampMs: at,
			origin: 'queue',
			requestId: 'deadbeef',
			provider: 'claude',
			model: 'claude-sonnet-4-5-20250929',
			endpoint: 'POST /v1/messages',
			authIndex: 'a1b2c3d4e5f67890',
			source: 'user@example.com',
			clientKeyMasked: 'sk-…cdef',
			failed: false,
			latencyMs: 1234,
		});
		expect(r.tokens.input).toBe(1200);
		expect(r.tokens.reasoning).toBe(50);
		const modern = ['7.0.3', '7.1.24', '7.2.97', '7.2.140'].includes(version);
		expect(r.tokens.cacheRead).toBe(modern ? 800 : 0);
		expect(r.tokens.cacheCreation).toBe(modern ? 100 : 0);
		expect(r.ttftMs).toBe(['7.1.24', '7.2.97', '7.2.140'].includes(version) ? 321 : null);
		expect(r.statusCode).toBe(version === '6.10.8' ? null : 200); // `fail` arrived in v7.0.0: {200, ""} on success
		if (version === '7.2.97' || version === '7.2.140') {
			expect(r.breakdown).toEqual({quality: 'complete', inputUncached: 1200, inputCacheRead: 800, inputCacheWrite: 100, output: 300, outputReasoning: 50, unclassified: 0});
		} else {
			expect(r.breakdown).toBeNull();
		}
	});

	it('never keeps the raw client key, and masks a source that is a credential', () => {
		const r = readQueueRecord(v7Record({at, apiKey: 'sk-live-supersecretvalue-9876', source: 'AIzaSyA1234567890abcdefghijklmnop'}), salt, at);
		expect(JSON.stringify({...r, key: undefined})).not.toContain('supersecretvalue');
		expect(r.clientKeyMasked).toBe('sk-…9876');
		expect(r.clientKeyHash).toMatch(/^[0-9a-f]{16}$/);
		expect(r.source).toBe('AIza…mnop');
	});

	it('keys by CPA import fields plus request id: same request same key, any field changed a new key', () => {
		const base = v7Record({at, requestId: 'aaaaaaaa'});
		const key = readQueueRecord(base, salt, at).key;
		expect(readQueueRecord(JSON.parse(JSON.stringify(base)), salt, at).key).toBe(key);
		// Same request id (8 hex digits collide), different request.
		expect(readQueueRecord({...base, tokens: {...(base['tokens'] as object), output_tokens: 201}}, salt, at).key).not.toBe(key);
		expect(readQueueRecord({...base, timestamp: goTime(at, 1)}, salt, at).key).not.toBe(key);
		// Same instant written in another offset is the same request.
		expect(readQueueRecord({...base, timestamp: goTime(at, 0, 480)}, salt, at).key).toBe(key);
		expect(readQueueRecord({...base, request_id: 'bbbbbbbb'}, salt, at).key).not.toBe(key);
	});

	it('records failures with their status code', () => {
		const r = readQueueRecord(v7Record({at, failed: true}, '7.2.140'), salt, at);
		expect(r.failed).toBe(true);
		expect(r.statusCode).toBe(429);
	});

	it('names the field when a type is wrong', () => {
		const cases: Array<[Record<string, unknown>, string]> = [
			[{...v7Record({at}), timestamp: 12}, 'timestamp'],
			[{...v7Record({at}), timestamp: 'soon'}, 'timestamp'],
			[{...v7Record({at}), model: 5}, 'model'],
			[{...v7Record({at}), failed: 'no'}, 'failed'],
			[{...v7Record({at}), tokens: {input_tokens: '10'}}, 'tokens.input_tokens'],
			[{...v7Record({at}), tokens: {output_tokens: -1}}, 'tokens.output_tokens'],
			[{...v7Record({at}), tokens: []}, 'tokens'],
			[{...v7Record({at}), latency_ms: 1.5}, 'latency_ms'],
			[{...v7Record({at}, '7.2.140'), token_breakdown: {input: {uncached_tokens: 'x'}}}, 'token_breakdown.input.uncached_tokens'],
		];
		for (const [record, field] of cases) {
			expect(() => readQueueRecord(record, salt, at), field).toThrow(FieldError);
			try {
				readQueueRecord(record, salt, at);
			} catch (error) {
				expect((error as FieldError).field).toBe(field);
			}
		}
	});

	it('uses "unknown" for an empty model, as CPA does', () => {
		expect(readQueueRecord({...v7Record({at}), model: ''}, salt, at).model).toBe('unknown');
	});
});

describe('plausible bounds', () => {
	const problemOf = (record: Record<string, unknown>, now = at): {field: string; problem: string} | null => {
		try {
			readQueueRecord(record, salt, now);
			return null;
		} catch (error) {
			if (!(error instanceof FieldError)) throw error;
			return {field: error.field, problem: error.problem};
		}
	};

	it('refuses token counts past 10^9 per field, naming the field', () => {
		const huge = 2 ** 53 - 1;
		expect(problemOf({...v7Record({at}), tokens: {input_tokens: huge}})).toEqual({field: 'tokens.input_tokens', problem: '9007199254740991 is more than 1,000,000,000, beyond what one request can carry'});
		expect(problemOf({...v7Record({at}), tokens: {total_tokens: 1_000_000_001}})?.field).toBe('tokens.total_tokens');
		expect(problemOf({...v7Record({at}, '7.2.140'), token_breakdown: {input: {cache_read_tokens: huge}}})?.field).toBe('token_breakdown.input.cache_read_tokens');
		expect(problemOf({...v7Record({at}), tokens: {input_tokens: 1_000_000_000, output_tokens: 1_000_000_000}})).toBeNull();
	});

	it('refuses latencies and ttft outside 0..1 day, and statuses outside 100..599 (0 is none)', () => {
		expect(problemOf({...v7Record({at}), latency_ms: -5})?.field).toBe('latency_ms');
		expect(problemOf({...v7Record({at}), latency_ms: 86_400_001})?.field).toBe('latency_ms');
		expect(problemOf({...v7Record({at}, '7.2.140'), ttft_ms: 2 ** 40})?.field).toBe('ttft_ms');
		expect(problemOf({...v7Record({at}), fail: {status_code: 1000}})).toEqual({field: 'fail.status_code', problem: 'expected an HTTP status from 100 to 599 (or 0 for none), got 1000'});
		expect(problemOf({...v7Record({at}), fail: {status_code: -1}})?.field).toBe('fail.status_code');
		expect(readQueueRecord({...v7Record({at}), fail: {status_code: 0}}, salt, at).statusCode).toBeNull();
		expect(readQueueRecord({...v7Record({at}), fail: {status_code: 503}}, salt, at).statusCode).toBe(503);
	});

	it('takes timestamps from 2020 to a day ahead of the clock it is given', () => {
		expect(problemOf(v7Record({at: Date.parse('2019-12-31T23:59:59Z')}))?.problem).toBe('"2019-12-31T23:59:59Z" is before 2020-01-01: not a real request time');
		expect(problemOf(v7Record({at: Date.parse('2020-01-01T00:00:00Z')}))).toBeNull();
		expect(problemOf(v7Record({at: at + 86_400_000}))).toBeNull();
		expect(problemOf(v7Record({at: at + 86_400_001}))).toEqual({field: 'timestamp', problem: `"${goTime(at + 86_400_001)}" is more than a day ahead of this machine's clock`});
		// The same record is fine once the clock has caught up: the reader holds no clock of its own.
		expect(problemOf(v7Record({at: at + 86_400_001}), at + 2)).toBeNull();
	});

	it('skips only the out-of-range records of a page', () => {
		const batch = readQueueBatch([v7Record({at}), {...v7Record({at}), tokens: {input_tokens: 2 ** 52}}, v7Record({at: Date.parse('2099-01-01T00:00:00Z')}), v7Record({at: at + 1})], salt, at);
		expect(batch.records.map(r => r.timestampMs)).toEqual([at, at + 1]);
		expect(batch.problems.map(p => [p.index, p.field])).toEqual([
			[1, 'tokens.input_tokens'],
			[2, 'timestamp'],
		]);
	});
});

describe('readQueueBatch', () => {
	it('keeps good records and reports bad ones by index', () => {
		const batch = readQueueBatch([v7Record({at}), {timestamp: 'x'}, 42, v7Record({at: at + 1})], salt, at);
		expect(batch.records).toHaveLength(2);
		expect(batch.problems.map(p => [p.index, p.field])).toEqual([
			[1, 'timestamp'],
			[2, 'record'],
		]);
	});

	it('rejects a payload that is not an array', () => {
		expect(() => readQueueBatch({records: []}, salt, at)).toThrow('payload: expected a JSON array');
	});
});
