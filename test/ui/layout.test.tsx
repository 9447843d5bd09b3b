import {renderToString} from 'ink';
import {subscriberWarning} from '../../source/collector/resp-status.js';
import {starvationWarning} from '../../source/collector/starvation-watch.js';
import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {Dashboard} from '../../source/ui/components/dashboard.js';
import {allocate, planLayout} from '../../source/ui/layout.js';
import {officialGauges} from '../../source/ui/view-model.js';
import {ACCOUNTS, GAUGES, MODELS, NOW, snapshot, status} from '../support/ui-fixtures.js';

describe('allocate', () => {
	it('places sections whole while rows last, grows placed ones, and skips the later steps of one that did not fit', () => {
		expect(allocate(10, [{id: 'a', place: 2}, {id: 'b', place: 5}, {id: 'a', grow: 2}, {id: 'c', place: 4}, {id: 'b', grow: 9}])).toEqual({a: 4, b: 6, c: 0});
		expect(allocate(3, [{id: 'a', place: 2}, {id: 'b', place: 2}, {id: 'b', grow: 1}, {id: 'c', place: 1}])).toEqual({a: 2, b: 0, c: 1});
	});
});

describe('planLayout', () => {
	const input = {compact: false, alerts: 0, limits: 3, models: 4};
	it('picks the mode from the size, and --compact forces narrow', () => {
		expect(planLayout({...input, columns: 200, rows: 50}).mode).toBe('wide');
		expect(planLayout({...input, columns: 100, rows: 30}).mode).toBe('wide');
		expect(planLayout({...input, columns: 100, rows: 22}).mode).toBe('wide');
		expect(planLayout({...input, columns: 99, rows: 22}).mode).toBe('medium');
		expect(planLayout({...input, columns: 80, rows: 24}).mode).toBe('medium');
		// Bordered panels need 22 rows to show a gauge and a model each with their "… N more".
		expect(planLayout({...input, columns: 100, rows: 21}).mode).toBe('narrow');
		expect(planLayout({...input, columns: 160, rows: 39}).full).toBe(false);
		expect(planLayout({...input, columns: 160, rows: 40})).toMatchObject({mode: 'wide', full: true});
		expect(planLayout({...input, columns: 59, rows: 40}).mode).toBe('narrow');
		expect(planLayout({...input, columns: 200, rows: 50, compact: true}).mode).toBe('narrow');
	});

	it('drops the lowest-priority parts first when rows run out', () => {
		const roomy = planLayout({...input, columns: 40, rows: 20});
		expect(roomy).toMatchObject({limitRows: 3, modelRows: 4, sparkline: true, footer: true});
		// Short on rows the footer goes first; a list that does not fit whole with its "… N more" line goes after the gauges.
		const tight = planLayout({...input, columns: 40, rows: 9});
		expect(tight).toMatchObject({limitRows: 3, modelRows: 0, sparkline: true, footer: false});
		const cut = planLayout({...input, models: 8, columns: 40, rows: 14});
		// The top three models and the "… 5 more" line under them.
		expect(cut).toMatchObject({limitRows: 3, modelRows: 4, sparkline: true, footer: false});
		const tiny = planLayout({...input, columns: 40, rows: 5});
		expect(tiny).toMatchObject({limitRows: 0, modelRows: 0, sparkline: true, footer: false});
	});
});

describe('Dashboard frame', () => {
	const sizes: Array<[number, number]> = [];
	for (const columns of [20, 32, 40, 59, 60, 80, 99, 100, 120, 160, 200]) for (const rows of [4, 6, 8, 10, 14, 15, 20, 21, 24, 30, 45, 50]) sizes.push([columns, rows]);

	it.each([
		['no alerts', status()],
		['an error and a warning', status({lastError: {message: 'Cannot reach CPA at http://localhost:8317: connection refused. Is CLIProxyAPI running, and is CLIPROXY_URL right?', kind: 'unreachable', at: NOW}, warnings: ['usage statistics are disabled in CPA, so it records nothing: set usage-statistics-enabled: true']})],
	])('is always shorter than the terminal and no wider (%s)', (_label, s) => {
		for (const [columns, rows] of sizes) {
			for (const [data, gauges] of [[snapshot(), []], [snapshot(), GAUGES], [snapshot({accounts: ACCOUNTS}), [...officialGauges(ACCOUNTS), ...GAUGES]]] as const) {
				const frame = renderToString(<Dashboard columns={columns} rows={rows} compact={false} status={s} server={null} now={NOW} data={data} gauges={gauges} ui={{period: 'today', sort: 'cost', help: false}} />, {columns});
				const lines = frame.split('\n');
				expect(lines.length, `${columns}x${rows}`).toBeLessThanOrEqual(rows - 1);
				expect(Math.max(...lines.map(l => stringWidth(l))), `${columns}x${rows}`).toBeLessThanOrEqual(columns);
				expect(frame, `${columns}x${rows}`).toContain('$12.34');
			}
		}
	});

	it('keeps the essentials in a 40x20 side-pane: cost, top models, every gauge', () => {
		const frame = renderToString(<Dashboard columns={40} rows={20} compact={false} status={status()} server={null} now={NOW} data={snapshot()} gauges={GAUGES} ui={{period: 'today', sort: 'cost', help: false}} />, {columns: 40});
		for (const text of ['$12.34 today', 'claude-sonnet-4-5-20250…', 'Gemini daily $', 'Claude Max 5h', 'Codex weekly', 'q quit']) expect(frame).toContain(text);
	});

	it('a 60-column side-pane gives model names the room cost and share leave', () => {
		const frame = renderToString(<Dashboard columns={60} rows={20} compact={false} status={status()} server={null} now={NOW} data={snapshot()} gauges={GAUGES} ui={{period: 'today', sort: 'cost', help: false}} />, {columns: 60});
		expect(frame).toMatch(new RegExp(`${MODELS[0]!.model} +\\$8\\.12 +66%`));
	});

	it('gives a 40-column pane every word of the CPA-unreachable error', () => {
		const message = 'Cannot reach CPA at http://127.0.0.1:18399: connection refused. Is CLIProxyAPI running, and is CLIPROXY_URL right?';
		const s = status({lastError: {message, kind: 'unreachable', at: NOW}});
		const frame = renderToString(<Dashboard columns={40} rows={20} compact={false} status={s} server={null} now={NOW} data={snapshot()} gauges={GAUGES} ui={{period: 'today', sort: 'cost', help: false}} />, {columns: 40});
		expect(frame.replace(/\s+/g, ' ')).toContain(message);
	});

	it('shows the accounts panel when wide or medium, every account when there is room', () => {
		const frame = (columns: number, rows: number) =>
			renderToString(<Dashboard columns={columns} rows={rows} compact={false} status={status()} server={null} now={NOW} data={snapshot({accounts: ACCOUNTS})} gauges={[...officialGauges(ACCOUNTS), ...GAUGES]} ui={{period: 'today', sort: 'cost', help: false}} />, {columns});
		for (const [columns, rows] of [[160, 45], [120, 35], [80, 40]] as const) {
			expect(frame(columns, rows), `${columns}x${rows}`).toMatch(/╭─ Accounts · today · 5 · 1 cooling down ─+╮/);
			for (const a of ACCOUNTS) expect(frame(columns, rows), `${columns}x${rows}`).toContain(a.label);
		}
		// Short on rows, a medium frame keeps the panel with the worst account and says how many more.
		expect(frame(80, 36)).toMatch(/carol@example\.com[^\n]*cooling[\s\S]*… 3 more \(cliproxy-usage accounts\)/);
		const side = renderToString(<Dashboard columns={40} rows={20} compact={false} status={status()} server={null} now={NOW} data={snapshot({accounts: ACCOUNTS})} gauges={[...officialGauges(ACCOUNTS), ...GAUGES]} ui={{period: 'today', sort: 'cost', help: false}} />, {columns: 40});
		expect(side).not.toContain('Accounts ·');
		for (const title of ['carol 5h', 'alice 5h', 'codex-bob 5h']) expect(side).toContain(title);
	});

	it('lays Today and Limits side by side when wide, and shows every model', () => {
		const frame = renderToString(<Dashboard columns={160} rows={45} compact={false} status={status()} server={null} now={NOW} data={snapshot()} gauges={GAUGES} ui={{period: 'today', sort: 'cost', help: false}} />, {columns: 160});
		const row = frame.split('\n')[1]!;
		expect(row).toMatch(/^╭─ Today ─+╮╭─ Limits · ◆ official ◇ yours ─+╮$/);
		for (const m of MODELS) expect(frame).toContain(m.model);
	});
});

describe('the RESP one-consumer trap', () => {
	const endpoint = '127.0.0.1:8317';
	const resp = (state: 'subscribed' | 'reconnecting') =>
		status({
			source: {url: 'http://127.0.0.1:8317', mode: 'auto', active: 'resp', reason: 'auto: CPA 7.2.140 pushes records over RESP', cpaVersion: '7.2.140', usageStatisticsEnabled: true},
			transport: {name: 'resp', endpoint, state, path: state === 'subscribed' ? 'subscribe' : 'http', since: NOW - 60_000, reconnects: 0, drops: 0, failedAttempts: state === 'subscribed' ? 0 : 2, nextAttemptAt: null, lastError: state === 'subscribed' ? null : 'connection refused', lastMessageAt: null, messages: 3, supportsRefresh: true, summary: state},
			warnings: state === 'subscribed' ? [subscriberWarning(endpoint)] : [],
		});
	const frame = (s: ReturnType<typeof status>, help: boolean) =>
		renderToString(<Dashboard columns={120} rows={35} compact={false} status={s} server={null} now={NOW} data={snapshot()} gauges={GAUGES} ui={{period: 'today', sort: 'cost', help}} />, {columns: 120});

	it('takes no alert rows on a healthy single-collector setup; ? explains it', () => {
		expect(frame(resp('subscribed'), false)).not.toContain("usage queue stays empty");
		const help = frame(resp('subscribed'), true).replace(/[│\s]+/g, ' ');
		expect(help).toContain(`RESP: subscribed at ${endpoint}; while we are subscribed, CPA's HTTP usage queue stays empty`);
	});

	it('never claims a subscription that is down', () => {
		const help = frame(resp('reconnecting'), true).replace(/[│\s]+/g, ' ');
		expect(help).toContain('RESP: not subscribed now (reconnecting: connection refused), draining CPA\'s queue over HTTP meanwhile');
		expect(help).not.toContain('RESP: subscribed at');
	});

	it('another collector taking the records is an alert', () => {
		const s = {...resp('subscribed'), warnings: [subscriberWarning(endpoint), starvationWarning(0, 10, 'resp')]};
		expect(frame(s, false)).toContain(`▲ ${starvationWarning(0, 10, 'resp')}`.slice(0, 60));
	});
});

describe('the full wide layout (160+ columns, 40+ rows)', () => {
	const activity = {
		at: NOW,
		tail: [{ts: NOW - 5000, time: '14:03:27', model: 'claude-sonnet-4-5', provider: 'claude', authIndex: 'a1', account: 'alice@example.com', input: 12_000, cacheRead: 3000, output: 900, total: 15_900, costUsd: 0.0512, estimated: false, latencyMs: 2300, ttftMs: 640, failed: false, statusCode: 200}, {ts: NOW - 9000, time: '14:03:23', model: 'gpt-5-codex', provider: 'codex', authIndex: 'b2', account: null, input: 8000, cacheRead: 0, output: 400, total: 8400, costUsd: 0.02, estimated: true, latencyMs: 900, ttftMs: null, failed: true, statusCode: 429}],
		latency: [{model: 'claude-sonnet-4-5', requests: 40, failed: 1, rateLimited: 1, successRate: 0.975, p50Ms: 2100, p95Ms: 7400, ttftP50Ms: 610}],
		latencyRequests: 40,
		latencyCapped: false,
	};
	const frame = (columns: number, rows: number) =>
		renderToString(<Dashboard columns={columns} rows={rows} compact={false} status={status()} server={null} now={NOW} data={snapshot({accounts: ACCOUNTS})} gauges={[...officialGauges(ACCOUNTS), ...GAUGES]} ui={{period: 'today', sort: 'cost', help: false}} activity={activity} />, {columns});

	it('fills a 200x50 terminal: the chart with axes, accounts, models, the latest requests and latency per model', () => {
		const out = frame(200, 50);
		const lines = out.split('\n');
		expect(lines.length).toBe(49);
		expect(out).toMatch(/Cost per hour, last 24h · now \$0\.35\/h · peak \$1\.60\/h/);
		expect(out).toMatch(/\$1\.60 ┤/);
		expect(out).toMatch(/\$0 └─+/);
		// 190+ columns: Accounts beside Models, as tall as each other.
		expect(out).toMatch(/╭─ Accounts · today · 5 · 1 cooling down ─+╮╭─ Models · today · by cost · ~?\$12\.34 ─+╮/);
		expect(frame(180, 50)).toMatch(/Accounts · today[^\n]*─╮\n/);
		expect(out).toMatch(/Latest requests · 2/);
		expect(out).toMatch(/14:03:27 +alice@example\.com +claude-sonnet-4-5 +12k +3k +900 +\$0\.05 +2\.3s +ok/);
		expect(out).toMatch(/14:03:23 +b2 +gpt-5-codex .* ~\$0\.02 +900ms +429/);
		expect(out).toMatch(/Latency and success · last hour · 40 requests/);
		expect(out).toMatch(/claude-sonnet-4-5 +40 +98% +1 +2\.1s +7\.4s +610ms/);
		for (const m of MODELS) expect(out).toContain(m.model);
		expect(lines.at(-1)).toContain('q quit');
	});

	it('is the plain wide layout one row or one column short', () => {
		for (const [c, r] of [[159, 45], [160, 39]] as const) {
			expect(frame(c, r), `${c}x${r}`).not.toContain('Latest requests');
			expect(frame(c, r), `${c}x${r}`).not.toContain('┤');
		}
	});
});
