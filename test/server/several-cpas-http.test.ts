import {describe, expect, it} from 'vitest';
import {createApiServer} from '../../source/server/http-server.js';
import type {CpaStandIn} from '../support/cpa-stand-in.js';
import {v7Record} from '../support/fixtures.js';
import {collectorFor, startStandIn, type Harness} from '../support/harness.js';
import {onCleanup} from '../support/temp.js';

const day = Date.parse('2026-11-23T09:00:00Z');
const INDEX = 'aaaa000000000001';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are checked field by field
const get = (url: string) => fetch(url).then(async r => ({status: r.status, body: (await r.json()) as any}));
const text = (url: string) => fetch(url).then(r => r.text());

function traffic(cpa: CpaStandIn, k: number, model: string, input: number): number {
	let tokens = 0;
	for (let i = 0; i < k; i++) {
		const r = v7Record({at: day + i * 1000, model, alias: model, input: input + i, output: 10, authIndex: INDEX});
		tokens += (r['tokens'] as {total_tokens: number}).total_tokens;
		cpa.enqueue(r);
	}
	return tokens;
}

async function serve(): Promise<{h: Harness; url: string; team: CpaStandIn; laptop: CpaStandIn; tokens: {team: number; laptop: number}}> {
	const team = await startStandIn({generation: 'v7'});
	const laptop = await startStandIn({generation: 'v7'});
	for (const cpa of [team, laptop]) {
		cpa.accounts = [{auth_index: INDEX, provider: 'claude', email: cpa === team ? 'team@example.com' : 'laptop@example.com'}];
		cpa.listServed = false;
	}
	const h = collectorFor(null, {CLIPROXY_URL: `team=${team.url},laptop=${laptop.url}`, COLLECTOR_SOURCE: 'queue', COLLECTOR_TRIGGER_PORT: '0'}, {now: () => day + 3_600_000});
	const tokens = {team: traffic(team, 6, 'claude-sonnet-4-5-20250929', 100), laptop: traffic(laptop, 4, 'claude-sonnet-4-5-20250929', 300) + traffic(laptop, 2, 'gpt-5-codex', 50)};
	expect((await h.collector.trigger()).inserted).toBe(12);
	await Promise.all(h.instances.map(i => i.accounts.refresh()));
	const api = createApiServer({config: h.config, collector: h.collector, bus: h.bus, db: h.db, logger: h.logger, now: h.now, limits: h.limits});
	const {port} = await api.listen();
	onCleanup(() => api.close());
	return {h, url: `http://127.0.0.1:${port}`, team, laptop, tokens};
}

describe('the HTTP API with several CPAs', () => {
	it('status: the first instance at the top level as before, every instance under instances, today across all', async () => {
		const {url, team, laptop} = await serve();
		const status = (await get(`${url}/api/collector/status`)).body;
		expect(status).toMatchObject({instance: 'team', source: {url: team.url, backend: 'queue'}, totals: {inserted: 6}, today: {requests: 12}});
		expect(status.instances.map((i: {name: string; source: {url: string}; totals: {inserted: number}; last_error: unknown}) => [i.name, i.source.url, i.totals.inserted, i.last_error])).toEqual([
			['team', team.url, 6, null],
			['laptop', laptop.url, 6, null],
		]);
		expect(JSON.stringify(status)).not.toContain('test-management-key');
	});

	it('/api/data/models and /api/data/daily: rows say their instance, ?instance= narrows, totals across all add up', async () => {
		const {url, tokens} = await serve();
		const q = 'from=2026-11-23&to=2026-11-23';
		const models = (await get(`${url}/api/data/models?${q}`)).body.models as Array<{instance: string; model: string; requests: number; total_tokens: number}>;
		expect(models.map(m => [m.instance, m.model, m.requests]).sort()).toEqual([
			['laptop', 'claude-sonnet-4-5-20250929', 4],
			['laptop', 'gpt-5-codex', 2],
			['team', 'claude-sonnet-4-5-20250929', 6],
		]);
		expect(models.reduce((n, m) => n + m.total_tokens, 0)).toBe(tokens.team + tokens.laptop);
		const laptopOnly = (await get(`${url}/api/data/models?${q}&instance=laptop`)).body;
		expect(laptopOnly.instance).toBe('laptop');
		expect(laptopOnly.models.map((m: {instance: string}) => m.instance)).toEqual(['laptop', 'laptop']);
		expect(laptopOnly.models.reduce((n: number, m: {total_tokens: number}) => n + m.total_tokens, 0)).toBe(tokens.laptop);

		const [all] = (await get(`${url}/api/data/daily?${q}`)).body;
		expect(all).toMatchObject({stat_date: '2026-11-23', total_requests: 12, total_tokens: tokens.team + tokens.laptop});
		expect(all.breakdown.instances).toEqual({laptop: {requests: 6, tokens: tokens.laptop, cost: expect.any(Number)}, team: {requests: 6, tokens: tokens.team, cost: expect.any(Number)}});
		const [team] = (await get(`${url}/api/data/daily?${q}&instance=team`)).body;
		expect(team).toMatchObject({total_requests: 6, total_tokens: tokens.team});
		expect(Object.keys(team.breakdown.models)).toEqual(['claude-sonnet-4-5-20250929']);

		expect(await get(`${url}/api/data/models?instance=nope`)).toEqual({status: 400, body: {error: 'instance: no instance named "nope" in this database; known: team, laptop'}});
	});

	it('/api/data/accounts: the same auth_index on two CPAs is two accounts, each with its instance; ?instance= narrows', async () => {
		const {url} = await serve();
		const accounts = (await get(`${url}/api/data/accounts?period=7d`)).body as Array<{instance: string; auth_index: string; label: string; usage: {requests: number}}>;
		expect(accounts.map(a => [a.instance, a.auth_index, a.label, a.usage.requests]).sort()).toEqual([
			['laptop', INDEX, 'laptop@example.com', 6],
			['team', INDEX, 'team@example.com', 6],
		]);
		const laptop = (await get(`${url}/api/data/accounts?period=7d&instance=laptop`)).body;
		expect(laptop.map((a: {instance: string}) => a.instance)).toEqual(['laptop']);
		expect((await get(`${url}/api/data/accounts?instance=nope`)).status).toBe(400);
	});

	it('/metrics: instance is the instance name on the usage and the collector families', async () => {
		const {url} = await serve();
		const body = await text(`${url}/metrics`);
		const requests = (instance: string) =>
			body
				.split('\n')
				.filter(l => l.startsWith('cliproxy_usage_requests_total{') && l.includes(`instance="${instance}"`))
				.reduce((n, l) => n + Number(l.split(' ').at(-1)), 0);
		expect(requests('team')).toBe(6);
		expect(requests('laptop')).toBe(6);
		expect(body).not.toMatch(/instance=""/);
		expect(body).toContain('cliproxy_usage_polls_total{instance="team"} 1');
		expect(body).toContain('cliproxy_usage_polls_total{instance="laptop"} 1');
		expect(body).toMatch(/cliproxy_usage_account_cooling_down\{instance="laptop",account="laptop@example.com"/);
	});
});
