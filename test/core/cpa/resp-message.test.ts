import {describe, expect, it} from 'vitest';
import {readRespItems, readRespMessage} from '../../../source/core/cpa/resp-message.js';
import {readQueueRecord} from '../../../source/core/cpa/queue-record.js';
import {decodeSignals, readQuotaHeaders} from '../../../source/core/quota/signals.js';
import {v7Record} from '../../support/fixtures.js';

const day = Date.parse('2026-11-23T09:00:00Z');

describe('readRespMessage', () => {
	it('recognises CPA control messages, exactly or re-encoded', () => {
		expect(readRespMessage('{"support_refresh":true}')).toEqual({kind: 'support_refresh'});
		expect(readRespMessage('{"refresh":true}')).toEqual({kind: 'refresh'});
		expect(readRespMessage('{ "refresh" : true }')).toEqual({kind: 'refresh'});
		expect(readRespMessage('{"refresh":false}').kind).toBe('record');
		expect(readRespMessage('{"refresh":true,"model":"x"}').kind).toBe('record');
	});

	it('reads a record the same way as the HTTP queue, response headers cut to the quota ones', () => {
		const record = v7Record({at: day, model: 'gpt-5', provider: 'codex'});
		const message = readRespMessage(JSON.stringify(record));
		expect(message.kind).toBe('record');
		const value = (message as {value: Record<string, unknown>}).value;
		const viaResp = readQueueRecord(value, 'salt', day, 'resp', (message as unknown as {headers: string[]}).headers);
		const viaQueue = readQueueRecord(record, 'salt', day, 'queue');
		expect(viaResp.key).toEqual(viaQueue.key);
		const signals = decodeSignals(readQuotaHeaders(viaResp.quotaHeaders!)!);
		expect(signals).toEqual(decodeSignals(readQuotaHeaders(viaQueue.quotaHeaders!)!));
		expect([...signals.keys()].every(name => name.startsWith('x-codex-'))).toBe(true);
	});

	it('calls text that is not JSON malformed, saying why', () => {
		const message = readRespMessage('{"timestamp": ');
		expect(message.kind).toBe('malformed');
		expect((message as {problem: string}).problem).toMatch(/^not JSON \(/);
	});
});

describe('readRespItems (LPOP usage N)', () => {
	it('keeps good records, names the bad field, ignores control messages', () => {
		const items = [JSON.stringify(v7Record({at: day})), 'garbage', JSON.stringify({...v7Record({at: day + 1}), failed: 'yes'}), '{"refresh":true}', JSON.stringify(v7Record({at: day + 2}))];
		const batch = readRespItems(items, 'salt', day + 2);
		expect(batch.records.map(r => r.timestampMs)).toEqual([day, day + 2]);
		expect(batch.records.every(r => r.origin === 'resp')).toBe(true);
		expect(batch.problems.map(p => [p.index, p.field])).toEqual([
			[1, 'record'],
			[2, 'failed'],
		]);
	});
});
