import {describe, expect, it} from 'vitest';
import {parseQueuePayload, stripResponseHeaders} from '../../../source/core/cpa/queue-payload.js';
import {readQueueBatch} from '../../../source/core/cpa/queue-record.js';
import {decodeSignals, readQuotaHeaders, signalsFromHeaders} from '../../../source/core/quota/signals.js';
import {CODEX_WITH_SPARK, withNoise} from '../../support/quota-captures.js';
import {v7Record} from '../../support/fixtures.js';

const at = Date.parse('2026-11-23T10:00:00Z');
type Rec = Record<string, unknown>;
const quota = (carried: string | null | undefined) => (carried ? decodeSignals(readQuotaHeaders(carried)!) : null);

describe('parseQueuePayload', () => {
	it('gives the same records as JSON.parse, each response_headers an index to its raw text, read to the same quota headers', () => {
		const records = ['claude', 'codex', 'gemini'].map(provider => v7Record({at, provider}, '7.2.140'));
		const text = JSON.stringify(records);
		const {value, headers} = parseQueuePayload(text);
		const original = JSON.parse(text) as Rec[];
		expect((value as Rec[]).map(({response_headers: _h, ...rest}) => rest)).toEqual(original.map(({response_headers: _h, ...rest}) => rest));
		// Gemini's reply names no quota header: its member is dropped, not kept.
		expect((value as Rec[]).map(r => r['response_headers'])).toEqual([0, 1, undefined]);
		expect(headers.map(h => JSON.parse(h))).toEqual(original.slice(0, 2).map(r => r['response_headers']));
		const batch = readQueueBatch(value, 'salt', at, 'queue', headers);
		for (let i = 0; i < 3; i++) {
			const fromText = quota(batch.records[i]!.quotaHeaders);
			const fromObject = signalsFromHeaders(original[i]!['response_headers']);
			expect(fromText).toEqual(fromObject === null ? null : decodeSignals(fromObject));
		}
		expect(quota(batch.records[0]!.quotaHeaders)!.get('anthropic-ratelimit-unified-5h-utilization')).toBe('0.42');
		expect(batch.records[2]!.quotaHeaders ?? null).toBeNull();
	});

	it('leaves records without headers, or with null headers, untouched', () => {
		const text = JSON.stringify([v7Record({at}, '7.2.97'), {...v7Record({at}, '7.2.97'), response_headers: null}]);
		expect(parseQueuePayload(text)).toEqual({value: JSON.parse(text), headers: []});
	});

	it('never cuts text that only looks like the member inside a string', () => {
		const tricky = {
			...v7Record({at}, '7.2.97'),
			fail: {status_code: 500, body: ',"response_headers":{"X":["y"]}'},
			response_headers: {'X-Quote': ['a "quoted" \\ value ]}', 'second'], Empty: []},
		};
		const text = JSON.stringify([tricky]);
		const {value} = parseQueuePayload(text);
		expect((value as Rec[])[0]!['fail']).toEqual(tricky.fail);
		expect((value as Rec[])[0]!['response_headers']).toBeUndefined();
		expect(stripResponseHeaders(text)).toContain('"body":",\\"response_headers\\":{\\"X\\":[\\"y\\"]}"');
	});

	it('finds the end of lists whose values end in a backslash or hold escaped quotes', () => {
		const headers = {'A-Trailing': ['ends with \\'], 'B-Quoted': ['say "hi"]}', 'x'], 'X-Codex-Primary-Used-Percent': ['7'], 'Z-Last': ['\\\\']};
		const record = {...v7Record({at, provider: 'codex'}, '7.2.140'), response_headers: headers};
		const parsed = parseQueuePayload(JSON.stringify([record, record]));
		expect(parsed.headers.map(h => JSON.parse(h))).toEqual([headers, headers]);
		expect(quota(parsed.headers[1])).toEqual(new Map([['x-codex-primary-used-percent', '7']]));
	});

	it('parses the whole text when the headers are not in Go\'s compact form, and the reader filters them', () => {
		const text = '[{"timestamp":"2026-11-23T10:00:00Z", "response_headers": {"Retry-After": ["3"], "Set-Cookie": ["x"]}, "model":"m"}]';
		const {value, headers} = parseQueuePayload(text);
		expect(headers).toEqual([]);
		expect(readQueueBatch(value, 'salt', Date.parse('2026-11-23T10:00:00Z')).records[0]!.quotaHeaders).toBe('retry-after|3');
	});

	it('reads lower-case names and unsorted maps, and takes the first usable value', () => {
		const headers = {'x-codex-primary-used-percent': ['', '12'], 'Content-Type': ['x'], 'X-Codex-Primary-Window-Minutes': ['300'], 'retry-after': ['30']};
		const {headers: texts} = parseQueuePayload(JSON.stringify([{...v7Record({at, provider: 'codex'}, '7.2.140'), response_headers: headers}]));
		expect(quota(texts[0])).toEqual(new Map([['x-codex-primary-window-minutes', '300'], ['x-codex-primary-used-percent', '12'], ['retry-after', '30']]));
	});

	it('never reads a cookie, an id or session state into the quota headers', () => {
		const {headers} = parseQueuePayload(JSON.stringify([{...v7Record({at, provider: 'codex'}, '7.2.140'), response_headers: withNoise(CODEX_WITH_SPARK)}]));
		const read = readQuotaHeaders(headers[0]!)!;
		expect(read).not.toMatch(/SECRET|cookie|request-id|organization|turn-state|cf-ray/i);
		expect(decodeSignals(read).get('x-codex-bengalfox-limit-name')).toBe('GPT-5.3-Codex-Spark');
	});

	it('throws on invalid JSON', () => {
		expect(() => parseQueuePayload('[{"timestamp":')).toThrow(SyntaxError);
	});
});
