import {readFileSync} from 'node:fs';
import Database from 'better-sqlite3';
import {describe, expect, it} from 'vitest';
import {v7Record} from '../support/fixtures.js';
import {collectorFor, startStandIn} from '../support/harness.js';
import type {StandInAccount} from '../support/cpa-stand-in.js';

const now = Date.parse('2026-11-23T12:00:00Z');
let clock = now;
const RAW_KEY = 'sk-ant-api03-RAWPROVIDERKEYthatmustneverbestored0123456789';
const CONFIG_KEY = 'sk-codex-CONFIGLISTKEYnotforthedb987654321';

const ACCOUNTS: StandInAccount[] = [
	{auth_index: '1111111111111111', provider: 'claude', name: 'claude-alice@example.com.json', email: 'alice@example.com', account_type: 'oauth', account: 'alice@example.com', path: '/home/cpa/.cli-proxy-api/claude-alice@example.com.json'},
	{auth_index: '2222222222222222', provider: 'claude', name: 'claude-key.json', label: 'Team console key', account_type: 'api_key', account: RAW_KEY, path: '/secret/path/claude-key.json'},
	{auth_index: '3333333333333333', provider: 'codex', name: 'codex-bob.json', account_type: 'oauth', id_token: {chatgpt_account_id: 'acct-CHATGPTIDSECRET', plan_type: 'plus'}, status: 'error', status_message: 'refresh failed'},
	{auth_index: '4444444444444444', provider: 'antigravity', name: 'antigravity-carol.json', disabled: true, status: 'disabled', project_id: 'proj-123'},
	{auth_index: '5555555555555555', provider: 'codex', name: 'codex-dave.json', unavailable: true, next_retry_after: '2026-11-23T12:40:00Z'},
];

async function listed() {
	const cpa = await startStandIn({generation: 'v7'});
	cpa.accounts = ACCOUNTS;
	cpa.apiKeys = {'codex-api-key': [{'api-key': CONFIG_KEY, 'base-url': 'https://api.openai.example/v1', 'auth-index': '6666666666666666'}], 'claude-api-key': [{'api-key': 'sk-ant-other-KEY', prefix: 'team-b', 'auth-index': '7777777777777777'}]};
	clock = now;
	const h = collectorFor(cpa, {COLLECTOR_SOURCE: 'queue'}, {now: () => clock});
	await h.accounts.refresh();
	return {cpa, h};
}

describe('accounts from /auth-files and the config key lists', () => {
	it('a listing still in flight when the services stop writes nothing and fails nothing (the database is closed)', async () => {
		const cpa = await startStandIn({generation: 'v7'});
		cpa.delayMs = 300;
		const h = collectorFor(cpa, {COLLECTOR_SOURCE: 'queue'});
		const pending = h.accounts.refresh();
		await new Promise(resolve => setTimeout(resolve, 50));
		await h.cleanup.run(); // stops the accounts service, then closes the database
		await expect(pending).resolves.toBeUndefined();
	});

	it('labels each credential without secrets: e-mail, else label, else file name; key lists by name or host', async () => {
		const {h} = await listed();
		const views = h.accounts.list('today');
		const label = (i: string) => views.find(a => a.authIndex === i)?.label;
		expect(label('1111111111111111')).toBe('alice@example.com');
		expect(label('2222222222222222')).toBe('Team console key');
		expect(label('3333333333333333')).toBe('codex-bob');
		expect(label('6666666666666666')).toBe('codex key @ api.openai.example');
		expect(label('7777777777777777')).toBe('team-b');
		expect(views.find(a => a.authIndex === '3333333333333333')).toMatchObject({provider: 'codex', plan: 'plus'});
		expect(views.find(a => a.authIndex === '2222222222222222')!.accountType).toBe('api_key');
	});

	it('derives each state: error, disabled, cooling down until CPA retries, active', async () => {
		const {h} = await listed();
		const state = (i: string) => h.accounts.list('today').find(a => a.authIndex === i)!;
		expect(state('1111111111111111')).toMatchObject({state: 'active', cooldownUntil: null});
		expect(state('3333333333333333')).toMatchObject({state: 'error', reason: 'refresh failed'});
		expect(state('4444444444444444').state).toBe('disabled');
		expect(state('5555555555555555')).toMatchObject({state: 'cooling_down', cooldownUntil: Date.parse('2026-11-23T12:40:00Z')});
	});

	it('an account CPA stops listing is removed; one seen only in records keeps its masked source as label', async () => {
		const {cpa, h} = await listed();
		cpa.listServed = false;
		cpa.enqueue(v7Record({at: now - 1000, authIndex: '8888888888888888', source: 'sk-ant-api03-ABCDEFGHIJKLMNOPQRSTUV-wxyz'}));
		expect((await h.collector.trigger()).inserted).toBe(1);
		cpa.accounts = ACCOUNTS.slice(1);
		clock += 180_000;
		await h.accounts.refresh();
		const views = h.accounts.list('today');
		expect(views.find(a => a.authIndex === '1111111111111111')!.state).toBe('removed');
		const fromRecords = views.find(a => a.authIndex === '8888888888888888')!;
		expect(fromRecords.label).toBe('sk-ant-…wxyz');
		expect(fromRecords.usage.requests).toBe(1);
	});

	it('never stores, logs or serves a raw key, a path or the ChatGPT account id', async () => {
		const {h} = await listed();
		h.db.pragma('wal_checkpoint(TRUNCATE)');
		const bytes = readFileSync(h.config.dbPath).toString('latin1');
		for (const secret of [RAW_KEY, CONFIG_KEY, 'sk-ant-other-KEY', '/secret/path', '.cli-proxy-api', 'acct-CHATGPTIDSECRET', 'proj-123']) {
			expect(bytes, secret).not.toContain(secret);
			expect(JSON.stringify(h.logs)).not.toContain(secret);
			expect(JSON.stringify(h.accounts.list('today'))).not.toContain(secret);
		}
		// Held in memory for the quota call only.
		expect(h.accounts.target('3333333333333333')).toMatchObject({chatgptAccountId: 'acct-CHATGPTIDSECRET'});
	});

	it('lists again when CPA says its credentials changed', async () => {
		const {cpa, h} = await listed();
		const before = cpa.log.filter(r => r.path === '/v0/management/auth-files').length;
		h.bus.emit('cpa_refresh', {at: now});
		await h.accounts.refresh();
		expect(cpa.log.filter(r => r.path === '/v0/management/auth-files').length).toBe(before + 1);
	});

	it('sends nothing more once CPA refuses the key', async () => {
		const cpa = await startStandIn({generation: 'v7'});
		const h = collectorFor(cpa, {COLLECTOR_SOURCE: 'queue', CLIPROXY_MANAGEMENT_KEY: 'wrong-key'}, {now: () => now});
		await h.accounts.refresh();
		await h.accounts.refresh();
		expect((await h.collector.trigger()).ok).toBe(false);
		expect(cpa.log.filter(r => r.status === 401)).toHaveLength(1);
	});
});

describe('hostile labels', () => {
	it('an escape sequence in a label or CPA status message is shown inert, kept exact in JSON', async () => {
		const cpa = await startStandIn({generation: 'v7'});
		cpa.listServed = false;
		const osc52 = '\u001b]52;c;cm0gLXJmIH4=\u0007evil@example.com';
		cpa.accounts = [{auth_index: '9999999999999999', provider: 'claude', email: osc52, status: 'error', status_message: 'bad\r\u001b[2Jthing'}];
		const h = collectorFor(cpa, {COLLECTOR_SOURCE: 'queue'});
		await h.accounts.refresh();
		const a = h.accounts.list('today')[0]!;
		expect(a.label).toBe(osc52);
		const {describeState, shownLabel} = await import('../../source/core/quota/describe.js');
		expect(shownLabel(a)).toBe('␛]52;c;cm0gLXJmIH4=␇evil@example.com');
		expect(describeState(a, Date.now())).toBe('error: bad␍␛[2Jthing');
	});
});

describe('a listing the database cannot take', () => {
	it('is this refresh\'s error, not a crash: another writer holding the lock leaves the accounts as they were', {timeout: 30_000}, async () => {
		const cpa = await startStandIn({generation: 'v7'});
		cpa.accounts = ACCOUNTS.slice(0, 2);
		cpa.listServed = false;
		const h = collectorFor(cpa, {COLLECTOR_SOURCE: 'queue'});
		const other = new Database(h.config.dbPath);
		other.exec('BEGIN IMMEDIATE');
		try {
			await expect(h.accounts.refresh()).resolves.toBeUndefined();
		} finally {
			other.exec('ROLLBACK');
			other.close();
		}
		expect(h.accounts.error).toMatch(/^the listing could not be stored \(SQLITE_BUSY/);
		expect(h.db.prepare('SELECT count(*) n FROM accounts').get()).toEqual({n: 0});
		await h.accounts.refresh();
		expect(h.accounts.error).toBeNull();
		expect(h.db.prepare('SELECT count(*) n FROM accounts').get()).toEqual({n: 2});
	});
});
