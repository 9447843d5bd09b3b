import {describe, expect, it} from 'vitest';
import {FieldError} from '../../../source/core/cpa/fields.js';
import {readQueueBatch, readQueueRecord} from '../../../source/core/cpa/queue-record.js';
import {goTime, v7Record, type V7Version} from '../../support/fixtures.js';

const salt = 'test-salt';
const at = Date.parse('2026-11-23T10:00:00.250Z');

describe('readQueueRecord', () => {
	it.each<V7Version>(['6.10.8', '7.0.0', '7.0.3', '7.1.24', '7.2.97', '7.2.140'])('reads the fields CPA %s emits', version => {
		const r = readQueueRecord(v7Record({at, input: 1200, output: 300, reasoning: 50, cacheRead: 800, cacheCreation: 100, requestId: 'deadbeef'}, version), salt);
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
		const r = readQueueRecord(v7Record({at, apiKey: 'sk-live-supersecretvalue-9876', source: 'AIzaSyA1234567890abcdefghijklmnop'}), salt);
		expect(JSON.stringify({...r, key: undefined})).not.toContain('supersecretvalue');
		expect(r.clientKeyMasked).toBe('sk-…9876');
		expect(r.clientKeyHash).toMatch(/^[0-9a-f]{16}$/);
		expect(r.source).toBe('AIza…mnop');
	});

	it('keys by CPA import fields plus request id: same request same key, any field changed a new key', () => {
		const base = v7Record({at, requestId: 'aaaaaaaa'});
		const key = readQueueRecord(base, salt).key;
		expect(readQueueRecord(JSON.parse(JSON.stringify(base)), salt).key).toBe(key);
		// Same request id (8 hex digits collide), different request.
		expect(readQueueRecord({...base, tokens: {...(base['tokens'] as object), output_tokens: 201}}, salt).key).not.toBe(key);
		expect(readQueueRecord({...base, timestamp: goTime(at, 1)}, salt).key).not.toBe(key);
		// Same instant written in another offset is the same request.
		expect(readQueueRecord({...base, timestamp: goTime(at, 0, 480)}, salt).key).toBe(key);
		expect(readQueueRecord({...base, request_id: 'bbbbbbbb'}, salt).key).not.toBe(key);
	});

	it('records failures with their status code', () => {
		const r = readQueueRecord(v7Record({at, failed: true}, '7.2.140'), salt);
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
			expect(() => readQueueRecord(record, salt), field).toThrow(FieldError);
			try {
				readQueueRecord(record, salt);
			} catch (error) {
				expect((error as FieldError).field).toBe(field);
			}
		}
	});

	it('uses "unknown" for an empty model, as CPA does', () => {
		expect(readQueueRecord({...v7Record({at}), model: ''}, salt).model).toBe('unknown');
	});
});

describe('readQueueBatch', () => {
	it('keeps good records and reports bad ones by index', () => {
		const batch = readQueueBatch([v7Record({at}), {timestamp: 'x'}, 42, v7Record({at: at + 1})], salt);
		expect(batch.records).toHaveLength(2);
		expect(batch.problems.map(p => [p.index, p.field])).toEqual([
			[1, 'timestamp'],
			[2, 'record'],
		]);
	});

	it('rejects a payload that is not an array', () => {
		expect(() => readQueueBatch({records: []}, salt)).toThrow('payload: expected a JSON array');
	});
});
