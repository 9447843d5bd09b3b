import {mkdirSync, writeFileSync} from 'node:fs';
import {it} from 'vitest';
import type {CpaStandIn} from '../support/cpa-stand-in.js';
import {dashboardDb, dashboardPane} from '../support/dashboard.js';
import {v7Record} from '../support/fixtures.js';
import {startStandIn} from '../support/harness.js';

/** Four credentials whose replies carry their quota headers: Claude near its 5-hour limit, one rate limited, Codex with Spark, an API key. */
function traffic(cpa: CpaStandIn, now: number): void {
	const s = (h: number) => String(Math.floor(now / 1000) + h * 3600);
	cpa.listServed = false;
	cpa.accounts = [
		{auth_index: 'a1a1a1a1a1a1a1a1', provider: 'claude', email: 'alice@example.com', account_type: 'oauth'},
		{auth_index: 'c3c3c3c3c3c3c3c3', provider: 'claude', email: 'carol@example.com', account_type: 'oauth', unavailable: true, next_retry_after: new Date(now + 72 * 60_000).toISOString()},
		{auth_index: 'b2b2b2b2b2b2b2b2', provider: 'codex', name: 'codex-bob.json', account_type: 'oauth', id_token: {plan_type: 'pro'}},
		{auth_index: 'd4d4d4d4d4d4d4d4', provider: 'gemini', email: 'dave@example.com', account_type: 'oauth'},
	];
	const claude = (util5h: string, util7d: string, reset5h: number) => ({
		'Anthropic-Ratelimit-Unified-Status': ['allowed'],
		'Anthropic-Ratelimit-Unified-5h-Status': ['allowed'],
		'Anthropic-Ratelimit-Unified-5h-Reset': [s(reset5h)],
		'Anthropic-Ratelimit-Unified-5h-Utilization': [util5h],
		'Anthropic-Ratelimit-Unified-7d-Status': ['allowed'],
		'Anthropic-Ratelimit-Unified-7d-Reset': [s(80)],
		'Anthropic-Ratelimit-Unified-7d-Utilization': [util7d],
	});
	const codex = {
		'X-Codex-Plan-Type': ['pro'],
		'X-Codex-Primary-Used-Percent': ['40'],
		'X-Codex-Primary-Window-Minutes': ['300'],
		'X-Codex-Primary-Reset-At': [s(3)],
		'X-Codex-Secondary-Used-Percent': ['22'],
		'X-Codex-Secondary-Window-Minutes': ['10080'],
		'X-Codex-Secondary-Reset-At': [s(100)],
		'X-Codex-Bengalfox-Limit-Name': ['GPT-5.3-Codex-Spark'],
		'X-Codex-Bengalfox-Primary-Used-Percent': ['3'],
		'X-Codex-Bengalfox-Primary-Window-Minutes': ['300'],
		'X-Codex-Bengalfox-Primary-Reset-At': [s(4)],
	};
	for (let i = 0; i < 12; i++) {
		const at = now - 30 * 60_000 + i * 60_000;
		cpa.enqueue(
			v7Record({at, provider: 'claude', authIndex: 'a1a1a1a1a1a1a1a1', source: 'alice@example.com', headers: claude(String(0.7 + i * 0.01), '0.31', 2)}),
			v7Record({at: at + 1, provider: 'codex', model: 'gpt-5-codex', authIndex: 'b2b2b2b2b2b2b2b2', source: 'bob@example.com', headers: codex}),
			v7Record({at: at + 2, provider: 'gemini', model: 'gemini-2.5-pro', authIndex: 'd4d4d4d4d4d4d4d4', source: 'dave@example.com'}),
		);
	}
	cpa.enqueue(v7Record({at: now - 60_000, provider: 'claude', authIndex: 'c3c3c3c3c3c3c3c3', source: 'carol@example.com', failed: true, statusCode: 429, headers: {...claude('1.13', '0.64', 1), 'Anthropic-Ratelimit-Unified-5h-Status': ['rejected'], 'Anthropic-Ratelimit-Unified-Status': ['rejected'], 'Retry-After': ['4320']}}));
}


it('captures', async () => {
	const cpa = await startStandIn({generation: 'v7'});
	traffic(cpa, Date.now());
	const {dir, dbPath} = dashboardDb(40_000);
	const env = {CLIPROXY_URL: cpa.url, CLIPROXY_MANAGEMENT_KEY: 'test-management-key', DB_PATH: dbPath, TIMEZONE: 'UTC', COLLECTOR_TRIGGER_PORT: '5001', COLLECTOR_SOURCE: process.env['SRC'] ?? 'auto', PRICES_AUTO_UPDATE: 'false'};
	mkdirSync('/tmp/frames', {recursive: true});
	for (const [c, r] of [[200, 50], [120, 35], [80, 24], [60, 20], [40, 20]] as const) {
		const pane = dashboardPane(c, r, env, dir);
		await new Promise(res => setTimeout(res, 7000));
		writeFileSync(`/tmp/frames/${c}x${r}.txt`, pane.capture());
		if (c === 120) {
			pane.keys('?');
			await new Promise(res => setTimeout(res, 1000));
			writeFileSync(`/tmp/frames/${c}x${r}-help.txt`, pane.capture());
		}
		pane.keys('q');
		await new Promise(res => setTimeout(res, 1000));
	}
}, 120_000);
