import {join} from 'node:path';
import {isDeepStrictEqual} from 'node:util';
import {describe, expect, it} from 'vitest';
import type {DashboardData} from '../../source/app/dashboard-data.js';
import {localDataSource} from '../../source/app/data-source.js';
import {readRecentActivity} from '../../source/app/recent-activity.js';
import type {Collector} from '../../source/collector/collector.js';
import {EventBus} from '../../source/collector/event-bus.js';
import type {Period} from '../../source/core/time/periods.js';
import {LimitsService} from '../../source/limits/limits-service.js';
import {RemoteClient, RemoteRefusedError} from '../../source/remote/remote-client.js';
import {RemoteSource, type RemoteLink} from '../../source/remote/remote-source.js';
import {openDatabase} from '../../source/store/database.js';
import {v7Record} from '../support/fixtures.js';
import {startStandIn} from '../support/harness.js';
import {startHeadless, waitFor} from '../support/headless-process.js';
import {countingProxy, REMOTE_TOKEN, seedRemoteDb, STAND_IN_ACCOUNT, STAND_IN_KEY} from '../support/remote.js';
import {onCleanup, tempDir} from '../support/temp.js';

const UTC = {kind: 'iana', name: 'UTC'} as const;

async function seededHeadless(env: Record<string, string> = {}) {
	const dbPath = join(tempDir(), 'collector.db');
	seedRemoteDb(dbPath);
	const cpa = await startStandIn({generation: 'v7'});
	const h = await startHeadless({CLIPROXY_URL: cpa.url, CLIPROXY_MANAGEMENT_KEY: STAND_IN_KEY, COLLECTOR_SOURCE: 'queue', PRICES_AUTO_UPDATE: 'false', COLLECTOR_API_TOKEN: REMOTE_TOKEN, DB_PATH: dbPath, ...env});
	return {cpa, h, dbPath};
}

/** The local data source on the same file, as the local dashboard builds it (its collector is never asked here). */
function localOn(dbPath: string) {
	const db = openDatabase(dbPath);
	const limits = new LimitsService(db, UTC, new EventBus(), Date.now);
	onCleanup(() => {
		limits.dispose();
		db.close();
	});
	return localDataSource({db, zone: UTC, collector: {} as Collector, limits});
}

/** Accounts without what moves with the clock alone (gauges, burn and projections move too, so they are not compared). */
const still = (accounts: DashboardData['accounts']) => JSON.stringify(accounts, (key, value: unknown) => (key === 'ageMs' ? undefined : value));

/** Until the headless's start-up writes (account listing, quota polls) are done: two answers apart whose accounts agree. */
async function settled(client: RemoteClient): Promise<void> {
	await waitFor(
		async () => {
			const a = await client.dashboard('today');
			await new Promise(r => setTimeout(r, 400));
			const b = await client.dashboard('today');
			return a.data.accounts.some(x => x.authIndex === STAND_IN_ACCOUNT) && still(a.data.accounts) === still(b.data.accounts);
		},
		15_000,
		'the headless settled',
	);
}

/**
 * The remote's answer equals the local read at the same `now`. The headless keeps working (a
 * quota poll, a listing): a write between its read and ours is another database, so a
 * mismatch is read again, a few times, before it counts.
 */
async function sameAsLocal(remote: () => Promise<DashboardData>, local: (at: number) => DashboardData): Promise<DashboardData> {
	let theirs = await remote();
	let mine = local(theirs.at);
	for (let tries = 1; tries < 5 && !isDeepStrictEqual(JSON.parse(JSON.stringify(mine)), theirs); tries++) {
		await new Promise(r => setTimeout(r, 200));
		theirs = await remote();
		mine = local(theirs.at);
	}
	expect(theirs).toEqual(mine);
	return theirs;
}

describe('the remote data source against a spawned --headless', () => {
	it('reads exactly what the local data source reads from the same database, for every period', async () => {
		const {h, dbPath} = await seededHeadless();
		const client = new RemoteClient({base: new URL(h.url), token: REMOTE_TOKEN});
		await settled(client);
		const local = localOn(dbPath);
		for (const period of ['today', 'yesterday', '7d', '30d'] as Period[]) {
			const data = await sameAsLocal(() => client.dashboard(period).then(a => a.data), at => local.read(period, at));
			if (period === '7d' || period === '30d') expect(data.models).toHaveLength(6);
		}
		const today = (await client.dashboard('today')).data;
		expect(today.gauges.map(g => g.config.provider)).toEqual(['Anthropic', 'OpenAI', 'Google']);
		expect(today.hourlyCost).toHaveLength(24);
		expect(today.accounts.find(a => a.authIndex === STAND_IN_ACCOUNT)!.quotas.map(q => q.id).sort()).toEqual(['5h', '7d']);

		// The data source the dashboard reads: the same answer, and the remote collector's status.
		const links: RemoteLink[] = [];
		const source = new RemoteSource({client, label: new URL(h.url).host, onLink: l => links.push(l)});
		onCleanup(() => source.stop());
		await source.start('today');
		await sameAsLocal(async () => source.read('today', Date.now()), at => local.read('today', at));
		expect(source.status().source).toMatchObject({mode: 'queue', active: 'queue'});
		expect(links.at(-1)).toMatchObject({state: 'live', error: null, label: new URL(h.url).host});
		// Another period is fetched on the first read of it; the source says when it has it.
		let changed = 0;
		source.onChange(() => changed++);
		source.read('7d', Date.now());
		await waitFor(() => changed > 0 && source.read('7d', Date.now()).period === '7d', 5000, 'the 7-day answer');
		await sameAsLocal(async () => source.read('7d', Date.now()), at => local.read('7d', at));
	});

	it('the latest requests and latency: what the local wide layout reads, fetched once a view asks and again after events', async () => {
		const {h, dbPath, cpa} = await seededHeadless();
		const proxy = await countingProxy(h.url);
		const client = new RemoteClient({base: new URL(proxy.url), token: REMOTE_TOKEN});
		await settled(client);
		const db = openDatabase(dbPath);
		onCleanup(() => db.close());
		const theirs = await client.recent();
		const mine = readRecentActivity(db, UTC, theirs.at);
		expect(theirs).toEqual(JSON.parse(JSON.stringify(mine)));
		expect(theirs.tail.length).toBeGreaterThan(0);
		expect(theirs.tail[0]).toMatchObject({time: expect.stringMatching(/^\d\d:\d\d:\d\d$/), model: expect.any(String)});

		const source = new RemoteSource({client, label: 'x'});
		onCleanup(() => source.stop());
		await source.start('today');
		// Not asked for by any view yet: the dashboard's answer alone.
		expect(proxy.requests.filter(r => r.path === '/api/data/recent')).toHaveLength(1);
		let changed = 0;
		source.onChange(() => changed++);
		expect(source.recentActivity(Date.now())).toBeNull();
		await waitFor(() => source.recentActivity(Date.now()) !== null, 5000, 'the first fetch of the latest requests');
		expect(changed).toBeGreaterThan(0);
		const count = source.recentActivity(Date.now())!.tail.length;
		cpa.enqueue(v7Record({at: Date.now() - 1000, model: 'gpt-5-codex', provider: 'codex', input: 1200, output: 80}));
		source.collect();
		await waitFor(() => source.recentActivity(Date.now())!.tail.length === Math.min(100, count + 1), 10_000, 'the new request in the tail');
		expect(source.recentActivity(Date.now())!.tail[0]).toMatchObject({model: 'gpt-5-codex', input: 1200, output: 80});
	});

	it('the dashboard route needs the token and names a bad period or parameter', async () => {
		const {h} = await seededHeadless();
		const auth = {authorization: `Bearer ${REMOTE_TOKEN}`};
		const get = (path: string, headers: Record<string, string> = auth) => fetch(`${h.url}${path}`, {headers}).then(async r => ({status: r.status, body: (await r.json()) as Record<string, unknown>}));
		expect(await get('/api/data/dashboard', {})).toEqual({status: 401, body: {error: 'Unauthorized: send Authorization: Bearer <COLLECTOR_API_TOKEN>'}});
		expect(await get('/api/data/dashboard?period=forever')).toEqual({status: 400, body: {error: 'period must be one of today, yesterday, 7d, 30d (got "forever")'}});
		expect(await get('/api/data/dashboard?days=7')).toEqual({status: 400, body: {error: 'Unknown query parameter "days": use period (today, yesterday, 7d, 30d)'}});
		const ok = await get('/api/data/dashboard');
		expect(ok.status).toBe(200);
		expect(Object.keys(ok.body)).toEqual(['schema', 'zone', 'data', 'status']);
		expect(ok.body).toMatchObject({schema: 1, zone: {kind: 'iana', name: 'UTC'}, data: {period: 'today'}});
	});

	it('r asks the remote for a pass, and the pass’s events bring a new read', async () => {
		const {h, cpa} = await seededHeadless();
		const proxy = await countingProxy(h.url);
		const source = new RemoteSource({client: new RemoteClient({base: new URL(proxy.url), token: REMOTE_TOKEN}), label: 'x'});
		onCleanup(() => source.stop());
		await source.start('today');
		const before = source.read('today', Date.now()).today.requests;
		cpa.enqueue(v7Record({at: Date.now() - 1000, model: 'gpt-5-codex', provider: 'codex', input: 1200, output: 80}));
		expect(source.collect()).toBeNull();
		await waitFor(() => proxy.requests.some(r => r.method === 'POST' && r.path === '/api/collector/trigger' && r.status === 202), 5000, 'the trigger');
		await waitFor(() => source.read('today', Date.now()).today.requests === before + 1, 10_000, 'the new request read');
	});

	it('a wrong token: one request, one refusal naming the fix, and no request after it', async () => {
		const {h} = await seededHeadless();
		const proxy = await countingProxy(h.url);
		const client = new RemoteClient({base: new URL(proxy.url), token: 'not-the-token-0123456789'});
		const source = new RemoteSource({client, label: 'x'});
		onCleanup(() => source.stop());
		const refusal = await source.start('today').catch((e: unknown) => e);
		expect(refusal).toBeInstanceOf(RemoteRefusedError);
		expect((refusal as Error).message).toBe(`${proxy.url} refused the connection (HTTP 401): set COLLECTOR_API_TOKEN to the token that instance was started with. Not retried (failed attempts lock an address out).`);
		await expect(client.dashboard('today')).rejects.toBe(refusal);
		await expect(client.trigger()).rejects.toBe(refusal);
		expect(proxy.requests).toEqual([{method: 'GET', path: '/api/data/dashboard?period=today', status: 401}]);
	});
});
