import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {planLegacyPoll, readLegacyResponse} from '../../source/core/cpa/legacy-usage.js';
import {dedupeKey, seedFromSalt} from '../../source/core/cpa/dedupe-key.js';
import {hashSecret} from '../../source/core/cpa/secrets.js';
import {openDatabase} from '../../source/store/database.js';
import {instanceNames} from '../../source/store/instances.js';
import {MIGRATIONS} from '../../source/store/migrations.js';
import {StateStore} from '../../source/store/state.js';
import {UsageWriter} from '../../source/store/usage-writer.js';
import {readAccountViews} from '../../source/accounts/read-accounts.js';
import type {CpaStandIn} from '../support/cpa-stand-in.js';
import {v6Detail, v7Record} from '../support/fixtures.js';
import {collectorFor, count, startStandIn, type Harness} from '../support/harness.js';
import {tempDir, testConfig} from '../support/temp.js';
import {storedTotals} from '../support/usage-read.js';

const day = Date.parse('2026-11-23T09:00:00Z');

/** Requests and tokens per stored instance tag, from the daily rollups. */
function byInstance(h: Harness): Record<string, {requests: number; tokens: number}> {
	const rows = h.db
		.prepare<[], {instance: string; requests: number; tokens: number}>('SELECT s.instance, sum(u.requests) requests, sum(u.total) tokens FROM usage_1d u JOIN series s ON s.id = u.series_id GROUP BY 1 ORDER BY 1')
		.all();
	return Object.fromEntries(rows.map(r => [r.instance, {requests: r.requests, tokens: r.tokens}]));
}

function records(k: number, from: number, input = 100): {list: Array<Record<string, unknown>>; tokens: number} {
	const list = Array.from({length: k}, (_, i) => v7Record({at: from + i * 1000, input: input + (i % 17), output: 9}));
	return {list, tokens: list.reduce((n, r) => n + (r['tokens'] as {total_tokens: number}).total_tokens, 0)};
}

async function twoCpas(env: Record<string, string> = {}, keys: {team?: string; laptop?: string} = {}): Promise<{team: CpaStandIn; laptop: CpaStandIn; h: Harness}> {
	const team = await startStandIn({generation: 'v7', ...(keys.team ? {managementKey: keys.team} : {})});
	const laptop = await startStandIn({generation: 'v7', ...(keys.laptop ? {managementKey: keys.laptop} : {})});
	const h = collectorFor(null, {CLIPROXY_URL: `team=${team.url},laptop=${laptop.url}`, COLLECTOR_SOURCE: 'queue', ...env});
	return {team, laptop, h};
}

describe('several CPAs in one collector', () => {
	it('stores each CPA under its own instance: exact totals per instance and across both, the same request text twice is two rows', async () => {
		const {team, laptop, h} = await twoCpas();
		const shared = records(30, day);
		const own = records(12, day + 60_000, 400);
		team.enqueue(...shared.list);
		laptop.enqueue(...shared.list, ...own.list);
		const pass = await h.collector.trigger();
		expect(pass.ok, pass.error).toBe(true);
		expect(pass.inserted).toBe(72);
		expect(count(h, 'SELECT count(*) n FROM requests')).toBe(72);
		// The first CPA this database collects from keeps tag ''; the second is stored under its name.
		expect(byInstance(h)).toEqual({'': {requests: 30, tokens: shared.tokens}, laptop: {requests: 42, tokens: shared.tokens + own.tokens}});
		expect(storedTotals(h.db)).toMatchObject({requests: 72, total: 2 * shared.tokens + own.tokens});
		expect([...instanceNames(h.db, 'unused')]).toEqual([['', 'team'], ['laptop', 'laptop']]);

		const status = h.collector.status();
		expect(status.instance).toBe('team');
		expect(status.instances?.map(s => [s.instance, s.source.url, s.totals.inserted])).toEqual([
			['team', team.url, 30],
			['laptop', laptop.url, 42],
		]);

		// Both CPAs re-deliver everything: nothing is counted twice within an instance.
		team.enqueue(...shared.list);
		laptop.enqueue(...own.list);
		expect(await h.collector.trigger()).toMatchObject({ok: true, received: 42, inserted: 0});
		expect(count(h, 'SELECT count(*) n FROM requests')).toBe(72);
	});

	it('keeps the accounts of two CPAs apart when both report the same auth_index, and polls each one only through its own CPA', async () => {
		const {team, laptop, h} = await twoCpas({QUOTA_POLL_MINUTES: '15', ALERT_THRESHOLDS: '45'});
		const index = 'aaaa000000000001';
		const usage = 'https://api.anthropic.com/api/oauth/usage';
		const resetsAt = new Date(Date.now() + 3 * 3_600_000).toISOString();
		const answer = (percent: number) => ({status: 200, body: JSON.stringify({five_hour: {utilization: percent, resets_at: resetsAt}})});
		for (const [cpa, token, percent] of [[team, 'team-token', 9], [laptop, 'laptop-token', 50]] as const) {
			cpa.accounts = [{auth_index: index, provider: 'claude', email: `${token}@example.com`, account_type: 'oauth', token}];
			cpa.listServed = false;
			cpa.upstream.set(usage, answer(percent));
		}
		// Recent records, so that they fall in the accounts' period and their windows have not reset.
		const recent = Date.now() - 3_600_000;
		team.enqueue(...records(3, recent).list.map(r => ({...r, auth_index: index})));
		laptop.enqueue(...records(5, recent, 700).list.map(r => ({...r, auth_index: index})));
		expect((await h.collector.trigger()).inserted).toBe(8);
		await Promise.all(h.instances.map(i => i.accounts.refresh()));
		const keys = h.db.prepare<[], {auth_index: string}>('SELECT auth_index FROM accounts ORDER BY 1').all().map(r => r.auth_index);
		expect(keys).toEqual([index, `laptop/${index}`]);

		// api-call goes to the CPA that owns the account, with that CPA's own auth_index.
		const outcomes = await Promise.all(h.instances.map(i => i.quotaPoller.tick()));
		expect(outcomes.map(o => o && [o.authIndex, o.ok])).toEqual([[index, true], [`laptop/${index}`, true]]);
		expect(team.upstreamCalls.map(c => [c.auth_index, c.header['Authorization']])).toEqual([[index, 'Bearer team-token']]);
		expect(laptop.upstreamCalls.map(c => [c.auth_index, c.header['Authorization']])).toEqual([[index, 'Bearer laptop-token']]);

		const views = readAccountViews(h.db, h.config.zone, '7d', Date.now());
		expect(views.map(v => [v.instance, v.cpaAuthIndex, v.label, v.usage.requests, v.quotas.filter(q => q.source === 'api').map(q => q.usedPercent)]).sort()).toEqual([
			['laptop', index, 'laptop-token@example.com', 5, [50]],
			['team', index, 'team-token@example.com', 3, [9]],
		]);
		// Only the laptop's 5h window (50 %) crossed 45 %: its alert names the laptop CPA.
		const fired = h.alerts.evaluate().filter(e => e.kind === 'quota' && e.name.includes('5h'));
		expect(fired.map(e => [e.instance, e.name])).toEqual([['laptop', 'laptop-token@example.com (claude) 5h window']]);
	});

	it('goes on collecting from one CPA while the other is down, and drains the other when it is back', async () => {
		const {team, laptop, h} = await twoCpas();
		const port = laptop.port;
		await laptop.close();
		const first = records(10, day);
		team.enqueue(...first.list);
		const down = await h.collector.trigger();
		expect(down.ok).toBe(false);
		expect(down.error).toMatch(/^laptop: /);
		expect(down.inserted).toBe(10);
		// The laptop CPA keeps serving requests while we cannot reach it; they wait in its queue.
		const waiting = records(7, day + 30_000, 300);
		laptop.enqueue(...waiting.list);
		const second = records(5, day + 60_000, 500);
		team.enqueue(...second.list);
		const still = await h.collector.trigger();
		expect(still.inserted).toBe(5);
		const [teamStatus, laptopStatus] = h.collector.status().instances!;
		expect(teamStatus!.lastError).toBeNull();
		expect(laptopStatus!.lastError?.kind).toBe('unreachable');
		expect(laptopStatus!.consecutiveFailures).toBe(2);
		expect(byInstance(h)).toEqual({'': {requests: 15, tokens: first.tokens + second.tokens}});

		await laptop.start(port);
		const back = await h.collector.trigger();
		expect(back).toMatchObject({ok: true, inserted: 7});
		expect(byInstance(h)).toEqual({'': {requests: 15, tokens: first.tokens + second.tokens}, laptop: {requests: 7, tokens: waiting.tokens}});
		expect(h.collector.status().instances!.map(s => s.lastError)).toEqual([null, null]);
	});

	it('mixes generations (auto picks per CPA): a CPA v6 read with the legacy backend beside a v7 over RESP', async () => {
		const old = await startStandIn({generation: 'v6'});
		const v7 = await startStandIn({generation: 'v7'});
		const h = collectorFor(null, {CLIPROXY_URL: `old=${old.url},new=${v7.url}`});
		for (let i = 0; i < 9; i++) old.record('POST /v1/chat/completions', 'gpt-5-codex', v6Detail({at: day + i * 1000, nanos: i, input: 100 + i, output: 20}));
		const fresh = records(4, day);
		v7.enqueue(...fresh.list);
		expect(await h.collector.trigger()).toMatchObject({ok: true, inserted: 13});
		expect(h.collector.status().instances!.map(s => [s.instance, s.source.active, s.source.cpaVersion])).toEqual([
			['old', 'legacy', '6.9.49'],
			['new', 'resp', '7.2.140'],
		]);
		// v6 re-reads its snapshot every pass: nothing is counted twice.
		expect(await h.collector.trigger()).toMatchObject({ok: true, inserted: 0});
		expect(byInstance(h)).toMatchObject({'': {requests: 9}, new: {requests: 4, tokens: fresh.tokens}});
	});

	it('sends each CPA its own key: CLIPROXY_MANAGEMENT_KEY_<NAME> over the shared one, and neither reaches a log or the status', async () => {
		const {team, laptop, h} = await twoCpas({CLIPROXY_MANAGEMENT_KEY: 'laptop-key-0123456', CLIPROXY_MANAGEMENT_KEY_TEAM: 'team-key-0123456789'}, {team: 'team-key-0123456789', laptop: 'laptop-key-0123456'});
		team.enqueue(...records(2, day).list);
		laptop.enqueue(...records(3, day).list);
		const pass = await h.collector.trigger();
		expect(pass).toMatchObject({ok: true, inserted: 5});
		for (const cpa of [team, laptop]) {
			expect(cpa.log.length).toBeGreaterThan(0);
			expect(cpa.log.filter(r => r.status === 401 || r.status === 403)).toEqual([]);
		}
		const seen = JSON.stringify([h.logs, h.collector.status()]);
		expect(seen).not.toContain('team-key-0123456789');
		expect(seen).not.toContain('laptop-key-0123456');
	});

	it('stops only the CPA that refuses its key; the other keeps collecting', async () => {
		const {team, laptop, h} = await twoCpas({CLIPROXY_MANAGEMENT_KEY_LAPTOP: 'wrong-key-0123456'});
		team.enqueue(...records(4, day).list);
		laptop.enqueue(...records(4, day).list);
		const pass = await h.collector.trigger();
		expect(pass.inserted).toBe(4);
		const [teamStatus, laptopStatus] = h.collector.status().instances!;
		expect(teamStatus!.stopped).toBeNull();
		expect(laptopStatus!.stopped?.reason).toMatch(/management key/i);
		const refused = laptop.log.filter(r => r.status === 401).length;
		team.enqueue(...records(2, day + 10_000).list);
		expect((await h.collector.trigger()).inserted).toBe(2);
		// Never retried: CPA bans after five failures.
		expect(laptop.log.filter(r => r.status === 401).length).toBe(refused);
	});
});

describe('the spool with several CPAs', () => {
	it('replays a page an earlier run popped from the second CPA into that CPA, before anything new is popped', async () => {
		const team = await startStandIn({generation: 'v7'});
		const laptop = await startStandIn({generation: 'v7'});
		const config = testConfig({CLIPROXY_URL: `team=${team.url},laptop=${laptop.url}`, COLLECTOR_SOURCE: 'queue'});
		// A first run assigns the tags ('' team, laptop laptop) and ends.
		const first = collectorFor(null, {}, {config});
		await first.cleanup.run();
		// A run that died (its pid is gone) with one page from each CPA in its spool, as it popped them.
		const fromLaptop = records(4, day, 800);
		const fromTeam = records(2, day, 900);
		const page = (list: Array<Record<string, unknown>>) => `[${list.map(r => JSON.stringify(r)).join(',')}]`;
		const a = page(fromLaptop.list);
		const b = page(fromTeam.list);
		writeFileSync(`${config.dbPath}.spool.999999999.dead`, `I 1 queue 500 1 laptop\nP 1 queue ${Buffer.byteLength(a)} laptop\n${a}\nI 2 queue 500 2\nP 2 queue ${Buffer.byteLength(b)}\n${b}\n`);
		const h = collectorFor(null, {}, {config});
		expect(await h.collector.trigger()).toMatchObject({ok: true, inserted: 0});
		expect(byInstance(h)).toEqual({'': {requests: 2, tokens: fromTeam.tokens}, laptop: {requests: 4, tokens: fromLaptop.tokens}});
	});
});

describe('a database collected from one CPA before migration 8', () => {
	const noon = Date.parse('2026-11-23T12:00:00Z');
	const API = 'POST /v1/chat/completions';

	function traffic(cpa: CpaStandIn, k: number, from: number): void {
		for (let i = 0; i < k; i++) cpa.record(API, 'gpt-5-codex', v6Detail({at: from + i * 1000, nanos: i * 1000, input: 100 + (i % 13), output: 20}));
	}

	/** What the collector before migration 8 stored from a v6 CPA: its rows, its per-array cursors and its high-water mark. */
	function oldCollector(file: string, cpa: CpaStandIn): number {
		const db = openDatabase(file, {migrations: MIGRATIONS.filter(m => m.version <= 7)});
		const salt = new StateStore(db).salt();
		const payload = readLegacyResponse(cpa.usageSnapshot());
		const plan = planLegacyPoll(payload, new Map(), {salt, apiId: api => hashSecret(api, salt), highWaterMs: null, marginMs: 3_600_000, now: noon + 86_400_000, isStored: () => false});
		const writer = new UsageWriter(db, {kind: 'iana', name: 'UTC'}, salt);
		const result = writer.ingest(plan.records, noon + 86_400_000);
		const insert = db.prepare('INSERT INTO legacy_arrays (array_id, api, model, detail_count, last_key, total_requests, total_tokens, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
		for (const a of plan.arrays) insert.run(a.arrayId, a.apiLabel, a.model, a.cursor.count, a.cursor.lastKey, a.counters.requests, a.counters.tokens, noon);
		new StateStore(db).set('legacy_high_water_ms', String(Math.max(...plan.records.map(r => r.timestampMs))));
		// Its keys are the single-CPA ones: the database's own seed, no instance in them.
		const stored = db.prepare<[], {k: Buffer}>('SELECT dedupe_key k FROM requests').all().map(r => r.k.toString('hex')).sort();
		expect(stored).toEqual(plan.records.map(r => dedupeKey(r.key, seedFromSalt(salt), r.timestampMs).toString('hex')).sort());
		db.close();
		return result.inserted;
	}

	it('counts nothing twice once upgraded, with a second CPA added after it, even when its cursors are lost', async () => {
		const v6 = await startStandIn({generation: 'v6'});
		const other = await startStandIn({generation: 'v6'});
		traffic(v6, 40, noon);
		const file = join(tempDir(), 'collector.db');
		expect(oldCollector(file, v6)).toBe(40);

		// The same CPA configured as before (first), and a second v6 CPA whose array ids are the same.
		traffic(other, 6, noon);
		const config = testConfig({DB_PATH: file, CLIPROXY_URL: `${v6.url},other=${other.url}`});
		const h = collectorFor(null, {}, {config});
		expect(h.db.pragma('user_version', {simple: true})).toBe(8);
		expect(count(h, "SELECT count(*) n FROM legacy_arrays WHERE instance = ''")).toBe(1);
		const pass = await h.collector.trigger();
		expect(pass.ok, pass.error).toBe(true);
		expect(pass.inserted).toBe(6);
		expect(byInstance(h)).toMatchObject({'': {requests: 40}, other: {requests: 6}});

		// v6 re-reads whole snapshots: with every cursor gone, stored keys still prove what is there.
		h.db.exec('DELETE FROM legacy_arrays');
		traffic(v6, 3, noon + 100_000);
		const rescan = await h.collector.trigger();
		expect(rescan).toMatchObject({ok: true, inserted: 3});
		expect(byInstance(h)).toMatchObject({'': {requests: 43}, other: {requests: 6}});
		expect(count(h, 'SELECT count(*) n FROM requests')).toBe(49);
		expect(h.collector.status().instances!.map(s => s.instance)).toEqual([`127.0.0.1:${v6.port}`, 'other']);
	});
});
