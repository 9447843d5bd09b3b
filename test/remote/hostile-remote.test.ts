import {describe, expect, it} from 'vitest';
import {readDashboardAnswer} from '../../source/remote/dashboard-answer.js';
import {readRecentAnswer} from '../../source/remote/recent-answer.js';
import {RemotePayloadError} from '../../source/remote/payload-checks.js';
import {parseConnectUrl} from '../../source/remote/connect-url.js';
import {RemoteClient, RemoteUnreachableError} from '../../source/remote/remote-client.js';
import {SseFrameTooLarge, SseParser} from '../../source/remote/sse-parser.js';
import {snapshot} from '../support/ui-fixtures.js';
import {runCli} from '../support/spawn-cli.js';
import {loopbackServer} from '../support/remote.js';
import {onCleanup, tempDir} from '../support/temp.js';

const STATUS = {source: {url: 'http://127.0.0.1:8317', mode: 'queue'}, warnings: []};
const answer = (over: Record<string, unknown> = {}) => JSON.stringify({schema: 1, zone: {kind: 'iana', name: 'UTC'}, data: snapshot(), status: STATUS, ...over});


describe('what a remote sends is checked before anything shows it', () => {
	it('reads a well-formed answer as it came', () => {
		expect(readDashboardAnswer(answer()).data).toEqual(JSON.parse(JSON.stringify(snapshot())));
	});

	it('refuses a wrong shape naming the field, another schema naming the versions, and non-JSON', () => {
		const data = snapshot();
		expect(() => readDashboardAnswer('<html>')).toThrow(new RemotePayloadError('the answer is not JSON'));
		expect(() => readDashboardAnswer(answer({schema: 2}))).toThrow('the remote speaks dashboard schema 2, this build reads 1');
		expect(() => readDashboardAnswer(answer({data: {...data, models: [{...data.models[0], costUsd: '12'}]}}))).toThrow('data.models[0].costUsd: expected a number');
		expect(() => readDashboardAnswer(answer({data: {...data, hourlyCost: [1, null]}}))).toThrow('data.hourlyCost: expected numbers');
		expect(() => readDashboardAnswer(answer({data: {...data, period: 'forever'}}))).toThrow('data.period: expected one of');
		expect(() => readDashboardAnswer(answer({data: {...data, accounts: [{authIndex: 'a', label: 'x', state: 'active', usage: {}, modelCooldowns: [], quotas: [{id: '5h', label: 7}]}]}}))).toThrow('data.accounts[0].quotas[0].label: expected a string');
		expect(() => readDashboardAnswer(answer({status: {...STATUS, warnings: [{}]}}))).toThrow('status.warnings: expected strings');
		let deep: unknown = 1;
		for (let i = 0; i < 30; i++) deep = [deep];
		expect(() => readDashboardAnswer(answer({extra: deep}))).toThrow('nested deeper than 12');
	});

	it('the latest requests: read as they came, a wrong shape refused naming the field', () => {
		const row = {ts: 1, time: '14:03:27', model: 'gpt-5', provider: 'codex', authIndex: 'a1', account: 'me@example.com', input: 10, cacheRead: 0, output: 5, total: 15, costUsd: 0.01, estimated: false, latencyMs: 900, ttftMs: null, failed: false, statusCode: 200};
		const latency = {model: 'gpt-5', requests: 1, failed: 0, rateLimited: 0, successRate: 1, p50Ms: 900, p95Ms: 900, ttftP50Ms: null};
		const recent = {at: 2, tail: [row], latency: [latency], latencyRequests: 1, latencyCapped: false};
		const text = (over: Record<string, unknown> = {}) => JSON.stringify({schema: 1, recent: {...recent, ...over}});
		expect(readRecentAnswer(text())).toEqual(recent);
		expect(() => readRecentAnswer(JSON.stringify({schema: 3, recent}))).toThrow('the remote speaks dashboard schema 3, this build reads 1');
		expect(() => readRecentAnswer(text({tail: [{...row, latencyMs: '900'}]}))).toThrow(new RemotePayloadError('recent.tail[0].latencyMs: expected a number or null'));
		expect(() => readRecentAnswer(text({tail: [{...row, account: {}}]}))).toThrow('recent.tail[0].account: expected a string or null');
		expect(() => readRecentAnswer(text({tail: [{...row, failed: 'no'}]}))).toThrow('recent.tail[0].failed: expected true or false');
		expect(() => readRecentAnswer(text({latency: [{...latency, successRate: null}]}))).toThrow('recent.latency[0].successRate: expected a number');
		expect(() => readRecentAnswer(text({latencyCapped: 1}))).toThrow('recent.latencyCapped: expected true or false');
		expect(() => readRecentAnswer(text({tail: {}}))).toThrow('recent.tail: expected a list');
	});

	it('cuts over-long strings; the views sanitise what is left as they do local data', () => {
		const data = snapshot();
		const model = `\u001B]52;c;${'A'.repeat(10_000)}\u0007`;
		const read = readDashboardAnswer(answer({data: {...data, models: [{...data.models[0], model}]}}));
		expect(read.data.models[0]!.model).toHaveLength(4096);
		expect(read.data.models[0]!.model.startsWith('\u001B]52;c;AAA')).toBe(true);
	});

	it('refuses an answer past its cap without reading it all, and a stream frame past 1 MiB', async () => {
		const url = await loopbackServer((_req, res) => {
			res.writeHead(200, {'content-type': 'application/json'});
			res.end(`{"schema":1,"pad":"${'x'.repeat(2 * 1024 * 1024)}"}`);
		});
		const client = new RemoteClient({base: new URL(url), token: null, maxBytes: 1024 * 1024});
		const refused = await client.dashboard('today').catch((e: unknown) => e);
		expect(refused).toBeInstanceOf(RemoteUnreachableError);
		expect((refused as Error).message).toBe(`${url}/api/data/dashboard: the answer is larger than 1 MiB; refused without parsing`);

		const parser = new SseParser();
		expect(() => parser.feed(`data: ${'y'.repeat(1024 * 1024 + 1)}`)).toThrow(SseFrameTooLarge);
	});

	it('parses event-stream frames in any chunking, comments (heartbeats) yield nothing', () => {
		const text = 'retry: 5000\n\n: ping\n\nid: 1\nevent: snapshot\ndata: {"a":1}\n\nid: 2\r\nevent: usage_delta\r\ndata: x\r\ndata: y\r\n\r\n';
		for (const size of [1, 3, 7, text.length]) {
			const parser = new SseParser();
			const events = [];
			for (let i = 0; i < text.length; i += size) events.push(...parser.feed(text.slice(i, i + size)));
			expect(events).toEqual([
				{event: 'snapshot', data: '{"a":1}'},
				{event: 'usage_delta', data: 'x\ny'},
			]);
		}
	});
});

describe('--connect URL', () => {
	it('takes a base URL and drops a trailing /api', () => {
		expect(parseConnectUrl('http://server:5001').href).toBe('http://server:5001/');
		expect(parseConnectUrl('https://proxy.example/usage/api/').href).toBe('https://proxy.example/usage');
	});

	it.each([
		[['--connect', 'server:5001'], 'cliproxy-usage: --connect must be an http:// or https:// URL (got "server:5001")'],
		[['--connect', 'not a url'], 'cliproxy-usage: --connect must be a URL like http://server:5001 (got "not a url")'],
		[['--connect', 'http://me:secret@server:5001'], 'cliproxy-usage: --connect must not carry credentials: put the token in COLLECTOR_API_TOKEN'],
		[['--connect', 'http://server:5001/?token=x'], 'cliproxy-usage: --connect takes the instance\'s base URL, without a query or fragment (got "http://server:5001/?token=x")'],
		[['--connect', 'http://server:5001', '--db', 'x.db'], 'cliproxy-usage: --db cannot be combined with --connect: the remote instance\'s own settings and database apply.'],
		[['--headless', '--connect', 'http://server:5001'], 'cliproxy-usage: --headless cannot be combined with --connect: the remote instance\'s own settings and database apply.'],
	])('%j: one line naming the flag, exit 2, nothing created', async (args, line) => {
		const dir = tempDir();
		const result = await runCli(args, {}, dir);
		expect(result).toMatchObject({code: 2, stdout: ''});
		expect(result.stderr).toBe(`${line}\n`);
		const {readdirSync} = await import('node:fs');
		expect(readdirSync(dir)).toEqual([]);
	});

	it('without a terminal: says so, exit 2, no request', async () => {
		let requests = 0;
		const url = await loopbackServer((_req, res) => {
			requests++;
			res.end();
		});
		const result = await runCli(['--connect', url], {}, tempDir());
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/^cliproxy-usage: --connect shows the dashboard and needs a terminal/);
		expect(requests).toBe(0);
	});
});
