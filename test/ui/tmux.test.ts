import {execFileSync} from 'node:child_process';
import {join} from 'node:path';
import Database from 'better-sqlite3';
import {describe, expect, it} from 'vitest';
import {formatUsd} from '../../source/core/report/format.js';
import {readQueueRecord} from '../../source/core/cpa/queue-record.js';
import type {Pricer} from '../../source/core/cpa/usage-record.js';
import {openDatabase} from '../../source/store/database.js';
import {StateStore} from '../../source/store/state.js';
import {UsageWriter} from '../../source/store/usage-writer.js';
import {v7Record, readV7} from '../support/fixtures.js';
import {startStandIn} from '../support/harness.js';
import {waitFor} from '../support/headless-process.js';
import {CLI} from '../support/spawn-cli.js';
import {onCleanup, tempDir} from '../support/temp.js';
import {skipWithout, titled} from '../support/tools.js';

/** Stored history with real costs, written the way the collector writes it. */
function seedHistory(dbPath: string, models = ['gpt-5-codex', 'claude-sonnet-4-5']): void {
	const db = openDatabase(dbPath);
	const salt = new StateStore(db).salt();
	const pricer: Pricer = {priceRecord: r => ({costUsd: (r.tokens.input * 3 + r.tokens.output * 15) / 1e6, estimated: false, ref: 'test@1:flat'}), priceTokenTotal: () => null};
	const writer = new UsageWriter(db, {kind: 'iana', name: 'UTC'}, salt, pricer);
	const now = Date.now();
	const records = Array.from({length: 25}, (_, i) => readV7({at: now - 60_000 - i * 1000, model: models[i % models.length]!, provider: i % 2 ? 'claude' : 'codex', input: 10_000 + i * 1000, output: 2000}, salt));
	writer.ingest(records, now);
	db.close();
}

function todayCost(dbPath: string): number {
	const db = new Database(dbPath, {readonly: true});
	const day = Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
	const row = db.prepare('SELECT round(sum(cost), 6) c FROM usage_5m WHERE t >= ? AND t < ?').get(day, day + 86_400_000) as {c: number};
	db.close();
	return row.c;
}

async function dashboardInTmux(columns: number, rows: number, envOver: Record<string, string> = {}, models?: string[]) {
	const cpa = await startStandIn({generation: 'v7'});
	const dir = tempDir();
	const dbPath = join(dir, 'collector.db');
	seedHistory(dbPath, models);
	const socket = `cu-test-${process.pid}-${columns}x${rows}${models ? '-hostile' : ''}`;
	const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
	const env = {CLIPROXY_URL: cpa.url, CLIPROXY_MANAGEMENT_KEY: 'test-management-key', DB_PATH: dbPath, TIMEZONE: 'UTC', COLLECTOR_TRIGGER_PORT: '0', COLLECTOR_QUEUE_INTERVAL_SECONDS: '1', TERM: 'xterm-256color', ...envOver};
	// The dashboard starts once the server lets programs set its clipboard (OSC 52) and window titles,
	// so an escape sequence that got through would leave a paste buffer or a title behind.
	tmux('new-session', '-d', '-s', 'dash', '-x', String(columns), '-y', String(rows), ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]), `sleep 0.5; cd ${dir} && ${process.execPath} ${CLI}; echo EXIT=$?; sleep 60`);
	tmux('set-option', '-g', 'set-clipboard', 'on');
	tmux('set-option', '-g', 'allow-rename', 'on');
	onCleanup(() => {
		try {
			tmux('kill-server');
		} catch {
			// already gone
		}
	});
	const capture = () => tmux('capture-pane', '-p', '-t', 'dash');
	return {cpa, dbPath, capture, tmux, keys: (k: string) => tmux('send-keys', '-t', 'dash', k)};
}

describe.skipIf(skipWithout('tmux'))(titled('the dashboard in tmux', 'tmux'), () => {
	it.each([
		[40, 20],
		[160, 45],
	])('%ix%i: shows the stored cost, follows new records, fits the pane, quits cleanly', async (columns, rows) => {
		const d = await dashboardInTmux(columns, rows);
		const seeded = formatUsd(todayCost(d.dbPath));
		await waitFor(() => d.capture().includes(seeded), 10_000, `the seeded cost ${seeded}`);
		await waitFor(() => d.capture().includes('● ok · CPA 7.2.140'), 10_000, 'a successful pass');

		d.cpa.enqueue(v7Record({at: Date.now() - 1000, model: 'gemini-2.5-pro', provider: 'gemini', input: 5000, output: 500}));
		await waitFor(() => d.capture().includes('gemini-2.5-pro') && d.capture().includes('26 req'), 10_000, 'the new request on screen');
		const shown = formatUsd(todayCost(d.dbPath));
		await waitFor(() => d.capture().includes(shown), 5000, `the cost in the DB (${shown})`);

		const screen = d.capture().replace(/\n+$/, '').split('\n');
		expect(screen.length).toBeLessThanOrEqual(rows);
		expect(screen.every(line => [...line].length <= columns)).toBe(true);
		if (columns >= 100) expect(screen.join('\n')).toMatch(/╭─ Today ─+╮╭─ Limits · ◆ official ◇ yours ─+╮/);
		else expect(screen.join('\n')).toContain(`${shown} today`);
		if (columns >= 160) {
			// The full wide layout: the new request heads the latest requests, and the last hour's latency counts it.
			await waitFor(() => /│ \d\d:\d\d:\d\d +\S+ +gemini-2\.5-pro .* ok +│/.test(d.capture()), 5000, 'the new request in the latest requests');
			const full = d.capture();
			expect(full).toMatch(/Cost per hour, last 24h · now \$[\d.]+\/h · peak/);
			expect(full).toMatch(/\$0 └─+/);
			expect(full).toContain('Latency and success · last hour · 26 requests');
		}

		d.keys('q');
		await waitFor(() => d.capture().includes('EXIT=0'), 10_000, 'a clean exit');
		expect(d.capture()).not.toContain('╭─');
	});

	it('opens with the stored history and says what to fix when there is no key', async () => {
		const d = await dashboardInTmux(80, 24, {CLIPROXY_MANAGEMENT_KEY: '', CLIPROXY_URL: 'http://127.0.0.1:9'});
		const seeded = formatUsd(todayCost(d.dbPath));
		await waitFor(() => d.capture().includes(seeded), 10_000, 'the stored cost');
		await waitFor(() => d.capture().replace(/\s*\n\s*/g, ' ').includes('CLIPROXY_MANAGEMENT_KEY is not set'), 10_000, 'the fix on screen');
		expect(d.capture()).toContain('● stopped');
		expect(d.cpa.log).toHaveLength(0);
		d.keys('q');
		await waitFor(() => d.capture().includes('EXIT=0'), 10_000, 'a clean exit');
	});

	it('shows __proto__ and an OSC 52 model name harmlessly: no paste buffer, no title, no overwritten row', async () => {
		const osc52 = 'evil\u001b]52;c;cm0gLXJmIH4=\u0007';
		const d = await dashboardInTmux(100, 30, {}, ['__proto__', osc52, 'title\u001b]2;owned\u0007', 'row\roverwrite', 'constructor']);
		await waitFor(() => d.capture().includes('● ok · CPA 7.2.140'), 10_000, 'a successful pass');
		await waitFor(() => d.capture().includes('__proto__'), 10_000, 'the hostile models on screen');
		const screen = d.capture();
		expect(screen).toContain('evil␛]52;c;cm0gLXJmIH4=␇');
		expect(screen).toContain('row␍overwrite');
		expect(screen).toContain('constructor');
		let buffer = '';
		try {
			buffer = d.tmux('show-buffer');
		} catch {
			buffer = ''; // "no buffers"
		}
		expect(buffer).toBe('');
		expect(d.tmux('list-buffers')).toBe('');
		expect(d.tmux('display-message', '-p', '-t', 'dash', '#{pane_title}')).not.toContain('owned');
		d.keys('q');
		await waitFor(() => d.capture().includes('EXIT=0'), 10_000, 'a clean exit');
	});
});
