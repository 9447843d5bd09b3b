import {describe, expect, it} from 'vitest';
import {parseQueuePayload, stripResponseHeaders} from '../../../source/core/cpa/queue-payload.js';
import {isQuotaHeader} from '../../../source/core/quota/headers.js';
import {CODEX_WITH_SPARK, withNoise} from '../../support/quota-captures.js';
import {v7Record} from '../../support/fixtures.js';

const at = Date.parse('2026-11-23T10:00:00Z');

describe('parseQueuePayload', () => {
	it('gives the same records as JSON.parse, with response_headers cut to the quota allow-list', () => {
		const records = ['claude', 'codex', 'gemini'].map(provider => v7Record({at, provider}, '7.2.140'));
		const text = JSON.stringify(records);
		const parsed = parseQueuePayload(text) as Array<Record<string, unknown>>;
		const expected = (JSON.parse(text) as Array<Record<string, unknown>>).map(({response_headers: headers, ...rest}) => {
			const kept = Object.entries(headers as Record<string, string[]>).filter(([name]) => isQuotaHeader(name));
			return kept.length > 0 ? {...rest, response_headers: Object.fromEntries(kept)} : rest;
		});
		expect(parsed).toEqual(expected);
		expect(Object.keys(parsed[0]!['response_headers'] as object)).toContain('Anthropic-Ratelimit-Unified-5h-Utilization');
		expect(parsed[2]!['response_headers']).toBeUndefined();
	});

	it('never keeps a cookie, an id or session state', () => {
		const text = JSON.stringify([{...v7Record({at, provider: 'codex'}, '7.2.140'), response_headers: withNoise(CODEX_WITH_SPARK)}]);
		const cut = stripResponseHeaders(text);
		expect(cut).not.toMatch(/SECRET|Set-Cookie|Request-Id|Organization|Turn-State|Cf-Ray/);
		expect(cut).toContain('"X-Codex-Bengalfox-Limit-Name":["GPT-5.3-Codex-Spark"]');
	});

	it('leaves records without headers, or with null headers, untouched', () => {
		const text = JSON.stringify([v7Record({at}, '7.2.97'), {...v7Record({at}, '7.2.97'), response_headers: null}]);
		expect(parseQueuePayload(text)).toEqual(JSON.parse(text));
	});

	it('never cuts text that only looks like the member inside a string', () => {
		const tricky = {
			...v7Record({at}, '7.2.97'),
			fail: {status_code: 500, body: ',"response_headers":{"X":["y"]}'},
			response_headers: {'X-Quote': ['a "quoted" \\ value ]}', 'second'], Empty: []},
		};
		const text = JSON.stringify([tricky]);
		const parsed = parseQueuePayload(text) as Array<Record<string, unknown>>;
		expect(parsed[0]!['fail']).toEqual(tricky.fail);
		expect(parsed[0]!['response_headers']).toBeUndefined();
		expect(stripResponseHeaders(text)).toContain('"body":",\\"response_headers\\":{\\"X\\":[\\"y\\"]}"');
	});

	it('parses the whole text when the headers are not in Go\'s compact form', () => {
		const text = '[{"timestamp":"2026-11-23T10:00:00Z", "response_headers": {"A": ["b"]}, "model":"m"}]';
		expect(parseQueuePayload(text)).toEqual([{timestamp: '2026-11-23T10:00:00Z', response_headers: {A: ['b']}, model: 'm'}]);
	});

	it('throws on invalid JSON', () => {
		expect(() => parseQueuePayload('[{"timestamp":')).toThrow(SyntaxError);
	});
});
