import {execFileSync} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {parse} from 'csv-parse/sync';
import {render} from 'ink-testing-library';
import {createElement} from 'react';
import {describe, expect, it} from 'vitest';
import {createApiServer} from '../../source/server/http-server.js';
import {App} from '../../source/ui/app.js';
import {v6Detail, v7Record} from '../support/fixtures.js';
import {collectorFor, startStandIn, type Harness} from '../support/harness.js';
import {waitFor} from '../support/headless-process.js';
import {runCli} from '../support/spawn-cli.js';
import {onCleanup, tempDir} from '../support/temp.js';
import {dailyRows} from '../support/usage-read.js';
import {localDataSource} from '../../source/app/data-source.js';

const PROTO = ['__proto__', 'constructor', 'toString'];
const OSC52 = 'evil-\u001b]52;c;cm0gLXJmIH4=\u0007-model';
const OSC0 = 'title-\u001b]0;owned\u0007';
const CR = 'row\roverwrite';
const MODELS = [...PROTO, OSC52, OSC0, CR];
/** What no terminal-bound output may contain: ESC, BEL, CR, C1, bidi overrides. */
const RAW_CONTROL = /[\u001b\u0007\r\u0080-\u009f\u202e]/;

/** Hostile names as model, endpoint, provider and client key, through the real collector from a CPA stand-in. */
async function collectHostile(): Promise<{h: Harness; total: number}> {
	const cpa = await startStandIn({generation: 'v7'});
	const h = collectorFor(cpa, {COLLECTOR_SOURCE: 'queue', COLLECTOR_TRIGGER_PORT: '0'});
	const now = Date.now();
	const records: Array<Record<string, unknown>> = [];
	MODELS.forEach((model, i) => {
		const name = PROTO[i % 3]!;
		// With a client key the breakdown keys by its masked form; without one, by the endpoint.
		records.push(v7Record({at: now - 60_000 + i * 10, model, provider: name, endpoint: name, apiKey: name, input: 100 + i, output: 10}));
		records.push({...v7Record({at: now - 50_000 + i * 10, model, provider: name, endpoint: name, input: 200 + i, output: 20}), api_key: ''});
	});
	cpa.enqueue(...records);
	const pass = await h.collector.trigger();
	expect(pass).toMatchObject({ok: true, inserted: records.length, skipped: 0});
	return {h, total: records.length};
}

describe('outside names that are prototype keys or escape sequences', () => {
	it('are stored and counted like any other, and Object.prototype is left alone', async () => {
		const {h, total} = await collectHostile();
		expect(({} as Record<string, unknown>)['requests']).toBeUndefined();
		expect(Object.keys(Object.prototype)).toEqual([]);
		const [day] = dailyRows(h.db, h.config.zone);
		expect(day!.total_requests).toBe(total);
		const breakdown = day!.breakdown;
		expect(Object.getPrototypeOf(breakdown.models)).toBeNull();
		expect(Object.keys(breakdown.models).sort()).toEqual([...MODELS].sort());
		for (const m of MODELS) expect(breakdown.models[m]!.requests).toBe(2);
		expect(Object.keys(breakdown.endpoints).sort()).toEqual(['…', ...PROTO].sort());
		// Only the expected word that these models have no price; nothing skipped, nothing failed.
		expect(h.logs.filter(l => (l.level === 'warn' || l.level === 'error') && !l.msg.startsWith('no price known'))).toEqual([]);
	});

	it('every report, in table, JSON and CSV, shows them harmlessly and keeps JSON exact', async () => {
		const {h} = await collectHostile();
		const env = {DB_PATH: h.config.dbPath, TIMEZONE: 'UTC'};
		const dir = tempDir();
		for (const kind of ['daily', 'weekly', 'monthly', 'models']) {
			const table = await runCli(['report', kind], env, dir);
			expect(table.code, table.stderr).toBe(0);
			expect(table.stdout).not.toMatch(RAW_CONTROL);
			for (const m of PROTO) expect(table.stdout).toContain(m);
			expect(table.stdout).toContain('evil-␛]52;c;cm0gLXJmIH4=␇-model');
			expect(table.stdout).toContain('row␍overwrite');

			const csv = await runCli(['report', kind, '--csv'], env, dir);
			expect(csv.code, csv.stderr).toBe(0);
			const rows = parse(csv.stdout, {columns: true}) as Array<Record<string, string>>;
			const cells = kind === 'models' ? rows.map(r => r['model']!).join('\n') : rows.map(r => r['models']!).join('\n');
			for (const shown of [...PROTO, 'evil-␛]52;c;cm0gLXJmIH4=␇-model', 'title-␛]0;owned␇', 'row␍overwrite']) expect(cells).toContain(shown);
			expect(csv.stdout.replace(/\r\n/g, '\n')).not.toMatch(RAW_CONTROL);

			const json = await runCli(['report', kind, '--json'], env, dir);
			expect(json.code, json.stderr).toBe(0);
			expect(json.stdout).not.toMatch(RAW_CONTROL);
			const value = JSON.parse(json.stdout) as Array<Record<string, unknown>>;
			const exact = kind === 'models' ? value.map(r => r['model']) : kind === 'daily' ? value.flatMap(r => Object.keys((r['breakdown'] as {models: object}).models)) : value.flatMap(r => r['models'] as string[]);
			expect([...new Set(exact)].sort()).toEqual([...MODELS].sort());
		}
	});

	it('the HTTP API answers them exactly, /metrics shows them safely, and promtool accepts it', async () => {
		const {h} = await collectHostile();
		h.limits.add({provider: '__proto__', tier_name: 'constructor', model_pattern: 'o', strategy: 'daily', token_limit: 1_000_000});
		const api = createApiServer({config: h.config, collector: h.collector, bus: h.bus, db: h.db, logger: h.logger, now: h.now, limits: h.limits});
		const {port} = await api.listen();
		onCleanup(() => api.close());
		const url = `http://127.0.0.1:${port}`;
		const text = async (path: string) => {
			const r = await fetch(`${url}${path}`);
			expect(r.status, path).toBe(200);
			return r.text();
		};
		const daily = await text('/api/data/daily');
		expect(daily).not.toMatch(RAW_CONTROL);
		const days = JSON.parse(daily) as Array<{breakdown: {models: Record<string, unknown>; endpoints: Record<string, unknown>}}>;
		expect(Object.keys(days[0]!.breakdown.models).sort()).toEqual([...MODELS].sort());
		const models = JSON.parse(await text('/api/data/models')) as {models: Array<{model: string; provider: string}>};
		expect(models.models.map(m => m.model).sort()).toEqual([...MODELS].sort());
		const limits = JSON.parse(await text('/api/data/rate-limits')) as Array<{tokens: {used: number}}>;
		expect(limits[0]!.tokens.used).toBeGreaterThan(0);
		JSON.parse(await text('/api/collector/status'));

		const metrics = await text('/metrics');
		expect(metrics).not.toMatch(RAW_CONTROL);
		expect(metrics).toContain('model="evil-␛]52;c;cm0gLXJmIH4=␇-model"');
		expect(metrics).toContain('model="__proto__"');
		expect(metrics).toContain('provider="__proto__",tier="constructor"');
		expect(execFileSync('promtool', ['check', 'metrics'], {input: metrics, encoding: 'utf8'})).toBe('');
	});

	it('a record with a token count near 2^53 is skipped and logged; its page is stored and every route keeps answering', async () => {
		const cpa = await startStandIn({generation: 'v7'});
		const h = collectorFor(cpa, {COLLECTOR_SOURCE: 'queue', COLLECTOR_TRIGGER_PORT: '0'});
		h.limits.add({provider: 'A', tier_name: 'T', model_pattern: 'claude', strategy: 'daily', token_limit: 1_000_000});
		const now = Date.now();
		cpa.enqueue(v7Record({at: now - 3000}), {...v7Record({at: now - 2000}), tokens: {input_tokens: 2 ** 53 - 1, output_tokens: 2 ** 53 - 1, total_tokens: 2 ** 53 - 1}}, v7Record({at: now - 1000}));
		expect(await h.collector.trigger()).toMatchObject({ok: true, inserted: 2, skipped: 1});
		expect(h.logs.find(l => l.msg === 'skipped a malformed usage record')).toMatchObject({field: 'tokens.input_tokens', problem: '9007199254740991 is more than 1,000,000,000, beyond what one request can carry'});
		const api = createApiServer({config: h.config, collector: h.collector, bus: h.bus, db: h.db, logger: h.logger, now: h.now, limits: h.limits});
		const {port} = await api.listen();
		onCleanup(() => api.close());
		for (const path of ['/metrics', '/api/data/rate-limits', '/api/data/daily', '/api/data/models', '/api/collector/status']) {
			expect((await fetch(`http://127.0.0.1:${port}${path}`)).status, path).toBe(200);
		}
		expect((await fetch(`http://127.0.0.1:${port}/api/collector/reset/1`, {method: 'POST'})).status).toBe(200);
	});

	it('the dashboard panels draw them, visibly and without escapes', async () => {
		const {h} = await collectHostile();
		const sources = {data: localDataSource({db: h.db, zone: h.config.zone, collector: h.collector, limits: h.limits}), zone: h.config.zone, bus: h.bus, now: h.now};
		const {lastFrame} = render(createElement(App, {sources, server: null, compact: false, size: {columns: 140, rows: 40}}));
		const frame = () => lastFrame() ?? '';
		await waitFor(() => frame().includes('12 requests'), 3000, 'the frame with the requests');
		for (const m of PROTO) expect(frame()).toContain(m);
		expect(frame()).toContain('evil-␛]52;c;cm0gLXJmIH4=␇-model');
		expect(frame()).toContain('row␍overwrite');
		expect(frame()).not.toMatch(RAW_CONTROL);
	});

	it('--once shows a hostile version header and CPA error body harmlessly, and --json keeps them exact', async () => {
		// An 8-bit CSI is legal in a header value (obs-text), unlike ESC.
		const cpa = await startStandIn({generation: 'v7', version: '7.2.140\u009b2J'});
		const dir = tempDir();
		const env = {CLIPROXY_URL: cpa.url, CLIPROXY_MANAGEMENT_KEY: 'test-management-key', DB_PATH: join(dir, 'c.db'), TIMEZONE: 'UTC', COLLECTOR_SOURCE: 'queue'};
		cpa.enqueue(v7Record({at: Date.now() - 1000, model: OSC52}));
		const ok = await runCli(['--once'], env, dir);
		expect(ok.code, ok.stderr).toBe(0);
		expect(ok.stdout).toContain('7.2.140\\u{9b}2J');
		expect(ok.stdout + ok.stderr).not.toMatch(RAW_CONTROL);
		cpa.script({status: 500, body: JSON.stringify({error: `upstream \u001b]52;c;cm0gLXJmIH4=\u0007 broke\r`})});
		const failed = await runCli(['--once'], env, dir);
		expect(failed.code).toBe(1);
		expect(failed.stderr).toContain('("upstream ␛]52;c;cm0gLXJmIH4=␇ broke␍")');
		expect(failed.stdout + failed.stderr).not.toMatch(RAW_CONTROL);
		const json = await runCli(['--once', '--json'], env, dir);
		expect(json.stdout).not.toMatch(RAW_CONTROL);
		expect((JSON.parse(json.stdout) as {source: {cpa_version: string}}).source.cpa_version).toBe('7.2.140\u009b2J');
	});

	it('import takes a v6 export keyed by __proto__ and constructor, and says what it skipped without raw escapes', async () => {
		const dir = tempDir();
		const at = Date.now() - 3_600_000;
		// Written as JSON text, so "__proto__" is an own key, as CPA's export would have it.
		const file = join(dir, 'export.json');
		const detail = JSON.stringify(v6Detail({at}));
		writeFileSync(
			file,
			`{"version":1,"exported_at":"2026-11-01T00:00:00Z\\u001b]0;x\\u0007","usage":{"apis":{"__proto__":{"models":{"constructor":{"total_requests":1,"total_tokens":1200,"details":[${detail}]}}},` +
				`"POST /v1/messages":{"models":{"__proto__":{"total_requests":2,"total_tokens":1200,"details":[${detail},{"timestamp":"\\u001b]52;c;eA==\\u0007","tokens":{}}]}}}}}}`,
		);
		const env = {DB_PATH: join(dir, 'c.db'), TIMEZONE: 'UTC'};
		const result = await runCli(['import', file], env, dir);
		expect(result.code, result.stderr).toBe(0);
		expect(result.stdout).toContain('2 added, 0 already present, 1 malformed skipped');
		expect(result.stderr).toContain('warning: skipped a malformed request: POST /v1/messages __proto__ details[1].timestamp: not an RFC 3339 timestamp: "\\u001b]52;c;eA==\\u0007"');
		expect(result.stdout + result.stderr).not.toMatch(RAW_CONTROL);
		const report = await runCli(['report', 'models', '--json'], env, dir);
		expect((JSON.parse(report.stdout) as Array<{model: string}>).map(r => r.model).sort()).toEqual(['__proto__', 'constructor']);
	});
});
