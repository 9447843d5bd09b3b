import {existsSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {startStandIn} from '../support/harness.js';
import {startHeadless, waitFor} from '../support/headless-process.js';
import {dashboardPane} from '../support/dashboard.js';
import {countingProxy, REMOTE_TOKEN, seedRemoteDb, STAND_IN_KEY} from '../support/remote.js';
import {cliCommand} from '../support/spawn-cli.js';
import {tempDir} from '../support/temp.js';
import {TmuxPane} from '../support/tmux.js';
import {skipWithout, titled} from '../support/tools.js';

const QUIET = {COLLECTOR_SOURCE: 'queue', PRICES_AUTO_UPDATE: 'false', TIMEZONE: 'UTC'};

async function seeded() {
	const dbPath = join(tempDir(), 'collector.db');
	seedRemoteDb(dbPath);
	const cpa = await startStandIn({generation: 'v7'});
	const env = {CLIPROXY_URL: cpa.url, CLIPROXY_MANAGEMENT_KEY: STAND_IN_KEY, COLLECTOR_API_TOKEN: REMOTE_TOKEN, DB_PATH: dbPath, ...QUIET};
	const h = await startHeadless(env);
	return {cpa, h, dbPath, env};
}

/** `cliproxy-usage --connect URL` in a pane of its own, started in an empty directory. */
function connectPane(columns: number, rows: number, url: string, token: string, dir = tempDir()) {
	const command = cliCommand(['--connect', url]).map(a => `'${a}'`).join(' ');
	const pane = TmuxPane.start(columns, rows, `cd '${dir}' && ${command}; echo EXIT=$?; sleep 60`, {TERM: 'xterm-256color', COLLECTOR_API_TOKEN: token});
	return {pane, dir};
}

/** The frame below the status line (the one line whose text differs by design). */
const belowStatus = (screen: string) => screen.split('\n').slice(1).join('\n');
const statusLine = (screen: string) => screen.split('\n')[0] ?? '';

describe.skipIf(skipWithout('tmux'))(titled('cliproxy-usage --connect in tmux', 'tmux'), () => {
	it.each([
		[160, 45],
		[120, 35],
		[80, 24],
	])('%ix%i: the same frame as a local dashboard on the same database, and no database of its own', async (columns, rows) => {
		const {h, env} = await seeded();
		const local = dashboardPane(columns, rows, {...env, COLLECTOR_API_TOKEN: '', COLLECTOR_TRIGGER_PORT: '0'});
		const {pane: remote, dir} = connectPane(columns, rows, h.url, REMOTE_TOKEN);
		const host = new URL(h.url).host;
		await waitFor(() => statusLine(remote.capture()).startsWith(`● remote: ${host} · updated`), 15_000, 'the remote dashboard');
		await waitFor(() => local.capture().includes('● ok · CPA 7.2.140'), 15_000, 'the local dashboard after a pass');
		let mine = '';
		let theirs = '';
		// Both read the same file; they agree once each has read after the last write (listings, quota polls).
		const same = await waitFor(
			() => {
				mine = belowStatus(local.capture());
				theirs = belowStatus(remote.capture());
				return mine === theirs;
			},
			20_000,
			'the same frame',
		).catch(() => false);
		if (!same) expect(theirs).toBe(mine);
		expect(mine).toMatch(/claude-|gpt-5|gemini-2\.5/);
		expect(mine).toMatch(/◆|official/);
		expect(theirs.split('\n').length).toBeGreaterThan(rows / 2);
		// The full wide layout's tail and latency panels, read over the remote's route too.
		if (columns >= 160) expect(theirs).toMatch(/Latest requests · \d+[\s\S]*Latency and success · last hour · \d+ request/);
		expect(statusLine(remote.capture())).toMatch(new RegExp(`^● remote: ${host.replace(/\./g, '\\.')} · updated (just now|\\d+s ago) · ok · CPA 7\\.2\\.140`));

		remote.keys('q');
		await waitFor(() => remote.capture().includes('EXIT=0'), 10_000, 'a clean exit');
		expect(existsSync(join(dir, 'data'))).toBe(false);
		local.keys('q');
		await waitFor(() => local.capture().includes('EXIT=0'), 10_000, 'the local dashboard’s clean exit');
		// Its waits add up to more than the default 20 s: on a loaded 2-core box two dashboards starting take a while.
	}, 90_000);

	it('the headless killed: reconnecting and stale; back on its port: fresh again', async () => {
		const {h, env} = await seeded();
		const {pane} = connectPane(160, 40, h.url, REMOTE_TOKEN);
		const host = new URL(h.url).host;
		await waitFor(() => statusLine(pane.capture()).startsWith(`● remote: ${host} · updated`), 15_000, 'the remote dashboard');
		const cost = pane.capture().match(/\$\d+\.\d\d/)![0];

		h.child.kill('SIGKILL');
		await h.exited;
		await waitFor(() => statusLine(pane.capture()).startsWith(`● remote: ${host} · reconnecting · STALE, updated`), 15_000, 'reconnecting and stale');
		expect(pane.capture()).toMatch(/[Rr]econnecting with backoff/);
		// The last data stays on screen, marked stale.
		expect(pane.capture()).toContain(cost);

		await startHeadless({...env, COLLECTOR_TRIGGER_PORT: new URL(h.url).port});
		await waitFor(() => /^● remote: \S+ · updated (just now|\d+s ago) · ok/.test(statusLine(pane.capture())), 30_000, 'fresh again');
		expect(pane.capture()).not.toContain('STALE');
		expect(pane.capture()).not.toContain('reconnecting');
	});

	it('a wrong token: one line naming the fix, exit 2, exactly one request', async () => {
		const {h} = await seeded();
		const proxy = await countingProxy(h.url);
		const {pane, dir} = connectPane(120, 20, proxy.url, 'wrong-token-0123456789abcdef');
		await waitFor(() => pane.capture().includes('EXIT='), 15_000, 'the exit');
		const screen = pane.capture().replace(/\n/g, '');
		expect(screen).toContain(`cliproxy-usage: ${proxy.url} refused the connection (HTTP 401): set COLLECTOR_API_TOKEN to the token that instance was started with. Not retried`);
		expect(screen).toContain('EXIT=2');
		await new Promise(r => setTimeout(r, 500));
		expect(proxy.requests).toEqual([{method: 'GET', path: '/api/data/dashboard?period=today', status: 401}]);
		expect(existsSync(join(dir, 'data'))).toBe(false);
	});
});
