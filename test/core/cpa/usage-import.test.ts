import {describe, expect, it} from 'vitest';
import {FieldError} from '../../../source/core/cpa/fields.js';
import {readLegacyDetail} from '../../../source/core/cpa/legacy-usage.js';
import {planImport, readImportSource} from '../../../source/core/cpa/usage-import.js';
import {CpaStandIn} from '../../support/cpa-stand-in.js';
import {v6Detail} from '../../support/fixtures.js';

const salt = 'a1b2c3d4e5f60718';
const t0 = Date.parse('2026-11-20T08:00:00Z');
/** When the import runs: a few days after the export's requests. */
const NOW = t0 + 5 * 86_400_000;
const CLIENT = 'sk-client-key-0123456789';

function standIn(): CpaStandIn {
	const cpa = new CpaStandIn({generation: 'v6'});
	cpa.record('POST /v1/chat/completions', 'gpt-4o', v6Detail({at: t0, input: 10}));
	cpa.record('POST /v1/chat/completions', 'gpt-4o', v6Detail({at: t0 + 1, input: 11, failed: true}));
	cpa.record(CLIENT, 'claude-sonnet-4-5', v6Detail({at: t0 + 2, input: 12}));
	return cpa;
}

describe('readImportSource', () => {
	it('reads a v6 export and a raw /usage answer', () => {
		const snapshot = standIn().usageSnapshot();
		const exported = readImportSource({version: 1, exported_at: '2026-11-20T09:00:00Z', usage: snapshot['usage']});
		expect(exported).toMatchObject({kind: 'export', exportedAt: '2026-11-20T09:00:00Z'});
		expect(exported.usage.apis.map(a => a.models.length)).toEqual([1, 1]);
		expect(readImportSource(snapshot)).toMatchObject({kind: 'usage', exportedAt: null});
		expect(readImportSource({version: 0, usage: {}})).toMatchObject({kind: 'export'});
	});

	it.each([
		[[], 'file: expected a JSON object'],
		[{total_requests: 3}, 'usage: missing'],
		[{version: 2, usage: {}}, 'version: unsupported export version 2'],
		[{version: '1', usage: {}}, 'version: unsupported export version "1"'],
		[{version: 1, exported_at: 5, usage: {}}, 'exported_at: expected an RFC 3339 timestamp'],
		[{usage: {apis: {'POST /x': {models: {m: {details: 'nope'}}}}}}, 'usage.apis[POST /x].models[m].details: expected an array'],
	])('rejects %j before anything is written', (payload, message) => {
		expect(() => readImportSource(payload)).toThrow(FieldError);
		expect(() => readImportSource(payload)).toThrow(message);
	});
});

describe('planImport', () => {
	it('keys every detail exactly as the legacy collector does', () => {
		const source = readImportSource({version: 1, usage: standIn().usageSnapshot()['usage']});
		const plan = planImport(source, salt, NOW);
		expect(plan.records.map(r => r.origin)).toEqual(['import', 'import', 'import']);
		const raw = standIn().usageSnapshot() as {usage: {apis: Record<string, {models: Record<string, {details: unknown[]}>}>}};
		const collectorKeys = Object.entries(raw.usage.apis).flatMap(([api, a]) =>
			Object.entries(a.models).flatMap(([model, m]) => m.details.map(d => readLegacyDetail(api, model, d, salt, NOW).key)),
		);
		expect(plan.records.map(r => r.key)).toEqual(collectorKeys);
		expect(plan.records[2]).toMatchObject({clientKeyMasked: 'sk-…6789', endpoint: null});
		expect(JSON.stringify(plan.records)).not.toContain(CLIENT);
	});

	it('skips a malformed detail with its place, and counts requests that have only counters', () => {
		const usage = {
			apis: {
				[CLIENT]: {models: {'gpt-4o': {total_requests: 5, total_tokens: 10, details: [v6Detail({at: t0}), {timestamp: 'yesterday', tokens: {}}]}}},
				'POST /v1/messages': {models: {'claude-x': {total_requests: 3, total_tokens: 9, details: null}}},
			},
		};
		const plan = planImport(readImportSource({usage}), salt, NOW);
		expect(plan.records).toHaveLength(1);
		expect(plan.problems).toEqual([{index: 1, field: 'sk-…6789 gpt-4o details[1].timestamp', problem: 'not an RFC 3339 timestamp: "yesterday"'}]);
		expect(plan.counterOnly).toEqual([
			{apiLabel: 'sk-…6789', model: 'gpt-4o', requests: 3},
			{apiLabel: 'POST /v1/messages', model: 'claude-x', requests: 3},
		]);
	});

	it('imports years-old exports, and skips details dated after the clock or with impossible counts', () => {
		const old = Date.parse('2021-03-04T05:06:07Z');
		const details = [v6Detail({at: old}), v6Detail({at: NOW + 2 * 86_400_000}), {...v6Detail({at: t0}), tokens: {input_tokens: 2 ** 53 - 1, total_tokens: 2 ** 53 - 1}}, {...v6Detail({at: t0}), latency_ms: -3}];
		const plan = planImport(readImportSource({usage: {apis: {'POST /v1/messages': {models: {'claude-x': {total_requests: 4, total_tokens: 0, details}}}}}}), salt, NOW);
		expect(plan.records.map(r => r.timestampMs)).toEqual([old]);
		expect(plan.problems.map(p => p.field)).toEqual(['POST /v1/messages claude-x details[1].timestamp', 'POST /v1/messages claude-x details[2].tokens.input_tokens', 'POST /v1/messages claude-x details[3].latency_ms']);
	});
});
