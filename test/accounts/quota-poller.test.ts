import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {CLAUDE_CODE_USER_AGENT} from '../../source/core/quota/quota-calls.js';
import type {StandInAccount} from '../support/cpa-stand-in.js';
import {v7Record} from '../support/fixtures.js';
import {collectorFor, startStandIn} from '../support/harness.js';
import {CLAUDE_200_WARNING} from '../support/quota-captures.js';

const start = Date.parse('2026-08-16T10:00:00Z');
const MIN = 60_000;
const CLAUDE_USAGE = 'https://api.anthropic.com/api/oauth/usage';
const CODEX_USAGE = 'https://chatgpt.com/backend-api/wham/usage';
const AG = (host: string) => `https://${host}/v1internal:retrieveUserQuotaSummary`;

/** chussum/mobius#19 (Max 20x), with resets filled in. */
const CLAUDE_BODY = JSON.stringify({
	five_hour: {utilization: 9, resets_at: '2026-08-16T12:00:00.528743+00:00'},
	seven_day: {utilization: 26, resets_at: '2026-08-20T07:00:00+00:00'},
	seven_day_oauth_apps: null,
	seven_day_opus: null,
	seven_day_sonnet: {utilization: 3, resets_at: '2026-08-20T07:00:00+00:00'},
	iguana_necktie: null,
	extra_usage: {is_enabled: false},
	limits: [
		{kind: 'session', group: 'session', percent: 9, severity: 'normal', scope: null, is_active: false},
		{kind: 'weekly_all', group: 'weekly', percent: 26, severity: 'normal', scope: null, is_active: true},
		{kind: 'weekly_scoped', group: 'weekly', percent: 12, severity: 'normal', resets_at: '2026-08-21T07:00:00+00:00', scope: {model: {id: null, display_name: 'Fable'}, surface: null}, is_active: false},
	],
	spend: {used: {}, limit: null, percent: 0, severity: 'normal'},
});

/** The cpa-usage-keeper fixture, e-mail and ids redacted. */
const CODEX_BODY = JSON.stringify({
	user_id: 'user-REDACTED', account_id: 'user-REDACTED', email: 'bob@example.com', plan_type: 'plus',
	rate_limit: {allowed: true, limit_reached: false, primary_window: {used_percent: 64, limit_window_seconds: 18000, reset_after_seconds: 11676, reset_at: start / 1000 + 11676}, secondary_window: {used_percent: 10, limit_window_seconds: 604800, reset_after_seconds: 598476, reset_at: start / 1000 + 598476}},
	code_review_rate_limit: null,
	additional_rate_limits: [{limit_name: 'GPT-5.3-Codex-Spark', metered_feature: 'codex_bengalfox', rate_limit: {allowed: true, limit_reached: false, primary_window: {used_percent: 2, limit_window_seconds: 18000, reset_at: start / 1000 + 11676}, secondary_window: null}}],
	rate_limit_reset_credits: {available_count: 1},
	credits: {has_credits: false, unlimited: false, overage_limit_reached: false, balance: '0'},
});

const AG_BODY = JSON.stringify({groups: [{displayName: 'Claude', buckets: [{bucketId: 'claude-5h', displayName: 'Claude 5h', window: '5h', remainingFraction: 0.75, resetTime: '2026-08-16T14:00:00Z'}]}]});

const ACCOUNTS: StandInAccount[] = [
	{auth_index: 'aaaa000000000001', provider: 'claude', email: 'alice@example.com', account_type: 'oauth', token: 'claude-token-1'},
	{auth_index: 'bbbb000000000002', provider: 'codex', email: 'bob@example.com', account_type: 'oauth', id_token: {chatgpt_account_id: 'acct-CHATGPT-ID', plan_type: 'plus'}, token: 'codex-token-2'},
	{auth_index: 'cccc000000000003', provider: 'antigravity', email: 'carol@example.com', account_type: 'oauth', project_id: 'proj-77', token: 'ag-token-3'},
	{auth_index: 'dddd000000000004', provider: 'claude', label: 'console', account_type: 'api_key', token: 'sk-ant-x'},
];

async function setup(accounts = ACCOUNTS, minutes = '15') {
	const cpa = await startStandIn({generation: 'v7'});
	cpa.accounts = accounts;
	cpa.listServed = false;
	let clock = start;
	const h = collectorFor(cpa, {COLLECTOR_SOURCE: 'queue', QUOTA_POLL_MINUTES: minutes}, {now: () => clock});
	await h.accounts.refresh();
	const advance = (ms: number) => (clock += ms);
	/** Ticks until nobody is due: the calls made, in order. */
	const pollAll = async () => {
		const outcomes = [];
		for (let i = 0; i < 10; i++) {
			const o = await h.quotaPoller.tick();
			if (!o) break;
			outcomes.push(o);
		}
		return outcomes;
	};
	return {cpa, h, advance, pollAll, now: () => clock};
}

const windows = (h: Awaited<ReturnType<typeof setup>>['h'], authIndex: string) => h.accounts.list('today').find(a => a.authIndex === authIndex)!.quotas.map(q => [q.id, q.label, q.usedPercent, q.source]);

describe('official quotas fetched through CPA api-call', () => {
	it('asks each idle account its provider\'s own endpoint, with the right headers, and stores the windows as official', async () => {
		const {cpa, h, pollAll} = await setup();
		cpa.upstream.set(CLAUDE_USAGE, {status: 200, body: CLAUDE_BODY});
		cpa.upstream.set(CODEX_USAGE, {status: 200, body: CODEX_BODY});
		cpa.upstream.set(AG('daily-cloudcode-pa.googleapis.com'), {status: 404, body: 'nope'});
		cpa.upstream.set(AG('daily-cloudcode-pa.sandbox.googleapis.com'), {status: 200, body: AG_BODY});
		const outcomes = await pollAll();
		expect(outcomes.map(o => [o.authIndex, o.ok])).toEqual(expect.arrayContaining([
			['aaaa000000000001', true],
			['bbbb000000000002', true],
			['cccc000000000003', true],
		]));
		expect(outcomes).toHaveLength(3);

		const claude = cpa.upstreamCalls.find(c => c.url === CLAUDE_USAGE)!;
		expect(claude).toMatchObject({method: 'GET', auth_index: 'aaaa000000000001'});
		expect(claude.header).toMatchObject({Authorization: 'Bearer claude-token-1', 'User-Agent': CLAUDE_CODE_USER_AGENT, 'anthropic-beta': 'oauth-2025-04-20'});
		const codex = cpa.upstreamCalls.find(c => c.url === CODEX_USAGE)!;
		expect(codex.header).toMatchObject({Authorization: 'Bearer codex-token-2', 'Chatgpt-Account-Id': 'acct-CHATGPT-ID'});
		const ag = cpa.upstreamCalls.filter(c => c.url.includes('retrieveUserQuotaSummary'));
		expect(ag.map(c => [c.method, c.data])).toEqual([['POST', '{"project":"proj-77"}'], ['POST', '{"project":"proj-77"}']]);

		expect(windows(h, 'aaaa000000000001')).toEqual([
			['7d', 'weekly', 26, 'api'],
			['7d_oi', 'weekly Fable', 12, 'api'],
			['5h', '5h', 9, 'api'],
			['7d_sonnet', 'weekly Sonnet', 3, 'api'],
		]);
		expect(windows(h, 'bbbb000000000002')).toEqual([
			['5h', '5h', 64, 'api'],
			['7d', 'weekly', 10, 'api'],
			['codex_bengalfox:5h', 'Spark 5h', 2, 'api'],
		]);
		expect(windows(h, 'cccc000000000003')).toEqual([['claude-5h', 'Claude 5h', 25, 'api']]);
		// API-key credentials have no such endpoint; nothing but api-call was ever posted.
		expect(cpa.upstreamCalls.some(c => c.auth_index === 'dddd000000000004')).toBe(false);
		expect(cpa.log.filter(r => r.method !== 'GET').every(r => r.path === '/v0/management/api-call')).toBe(true);
		expect(cpa.upstreamCalls.every(c => !/reset|consume/.test(c.url))).toBe(true);

		h.db.pragma('wal_checkpoint(TRUNCATE)');
		const bytes = readFileSync(h.config.dbPath).toString('latin1');
		for (const s of ['acct-CHATGPT-ID', 'proj-77', 'bob@example.com"', 'user-REDACTED', 'UPSTREAMCOOKIE', 'claude-token-1']) expect(bytes, s).not.toContain(s);
	});

	it('asks again only after the interval, and never an account whose headers are recent', async () => {
		const {cpa, h, advance, pollAll} = await setup(ACCOUNTS.slice(0, 1));
		cpa.upstream.set(CLAUDE_USAGE, {status: 200, body: CLAUDE_BODY});
		expect(await pollAll()).toHaveLength(1);
		advance(10 * MIN);
		expect(await pollAll()).toHaveLength(0);
		advance(7 * MIN);
		expect(await pollAll()).toHaveLength(1);
		// Traffic brings the windows in its headers: no call is needed.
		cpa.enqueue(v7Record({at: start + 17 * MIN, provider: 'claude', authIndex: 'aaaa000000000001', headers: CLAUDE_200_WARNING}));
		await h.collector.trigger();
		advance(10 * MIN);
		expect(await pollAll()).toHaveLength(0);
		expect(cpa.upstreamCalls).toHaveLength(2);
	});

	it('backs off on 429 (Retry-After 0 means not now), honours a real Retry-After, and keeps the last good values', async () => {
		const {cpa, h, advance, pollAll, now} = await setup(ACCOUNTS.slice(0, 1), '5');
		cpa.upstream.set(CLAUDE_USAGE, {status: 200, body: CLAUDE_BODY});
		await pollAll();
		const rateLimited = {status: 429, headers: {'Retry-After': ['0']}, body: '{"error":{"message":"Rate limited. Please try again later.","type":"rate_limit_error"}}'};
		cpa.upstream.set(CLAUDE_USAGE, rateLimited);
		advance(6 * MIN);
		expect((await pollAll()).map(o => o.ok)).toEqual([false]);
		// Five minutes after the first failure, ten after the second: never sooner than the interval either.
		advance(4 * MIN);
		expect(await pollAll()).toHaveLength(0);
		advance(2 * MIN);
		expect((await pollAll()).map(o => o.ok)).toEqual([false]);
		advance(9 * MIN);
		expect(await pollAll()).toHaveLength(0);
		cpa.upstream.set(CLAUDE_USAGE, {...rateLimited, headers: {'Retry-After': ['7200']}});
		advance(2 * MIN);
		expect((await pollAll()).map(o => o.ok)).toEqual([false]);
		advance(100 * MIN);
		expect(await pollAll()).toHaveLength(0);
		const state = h.db.prepare('SELECT failures, next_allowed_at, last_error FROM quota_polls').get() as {failures: number; next_allowed_at: number; last_error: string};
		expect(state.failures).toBe(3);
		expect(state.next_allowed_at).toBe(now() - 100 * MIN + 120 * MIN);
		expect(state.last_error).toMatch(/HTTP 429/);
		// The windows from the good call stay, with their age; the 5h one reset at 12:00 meanwhile.
		const quotas = h.accounts.list('today')[0]!.quotas;
		expect(quotas.find(w => w.id === '7d')).toMatchObject({usedPercent: 26, source: 'api', ageMs: 123 * MIN});
		expect(quotas.find(w => w.id === '5h')).toMatchObject({usedPercent: 0, status: 'reset'});
	});

	it('never asks about an index CPA does not list, and records CPA\'s 400 as a failure', async () => {
		const {cpa, h, pollAll} = await setup([{...ACCOUNTS[0]!, token: ''}]);
		cpa.enqueue(v7Record({at: start, provider: 'claude', authIndex: 'eeee000000000005'}));
		await h.collector.trigger();
		const outcomes = await pollAll();
		expect(outcomes).toEqual([{authIndex: 'aaaa000000000001', ok: false, error: expect.stringMatching(/HTTP 400.*auth token not found/)}]);
		expect(cpa.upstreamCalls.every(c => c.auth_index === 'aaaa000000000001')).toBe(true);
		expect(cpa.log.some(r => r.path === '/v0/management/api-call' && r.status === 400)).toBe(true);
	});

	it('is off with QUOTA_POLL_MINUTES=0', async () => {
		const cpa = await startStandIn({generation: 'v7'});
		cpa.accounts = ACCOUNTS;
		const h = collectorFor(cpa, {COLLECTOR_SOURCE: 'queue', QUOTA_POLL_MINUTES: '0'});
		await h.accounts.refresh();
		expect(await h.quotaPoller.tick()).toBeNull();
		expect(cpa.upstreamCalls).toHaveLength(0);
	});
});
