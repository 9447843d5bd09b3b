import {describe, expect, it} from 'vitest';
import {dashboardDb, dashboardPane} from '../support/dashboard.js';
import {startStandIn} from '../support/harness.js';
import type {TmuxPane} from '../support/tmux.js';
import {skipWithout, titled} from '../support/tools.js';

/**
 * Resizing redraws the whole frame cleanly, in every layout, shrinking included: after each
 * resize the pane reads exactly as a dashboard launched fresh at that size (once both have
 * settled, with the clock, the ages and the API port masked).
 */
const SIZES: Array<[number, number]> = [
	[120, 35],
	[100, 30], // shrink within wide
	[160, 45], // the full wide layout: chart, latest requests, latency
	[100, 30],
	[200, 50],
	[160, 40], // the smallest full wide
	[159, 40], // wide: one column short
	[160, 39], // wide: one row short
	[120, 35],
	[100, 22], // the smallest wide
	[99, 22], // medium: one column short
	[100, 21], // narrow: one row short of any bordered layout
	[80, 24],
	[60, 22], // the smallest medium
	[59, 22], // narrow: one column short
	[60, 21], // narrow: one row short
	[40, 20],
	[30, 12],
	[80, 24], // grow back out of narrow
	[200, 50],
	[40, 20], // wide straight to narrow
];

/**
 * What a fresh launch and a resized one must agree on. The status line's ages and countdowns
 * tick and change its length, so it counts as its health word alone (a stale second status
 * line still shows); elsewhere each run of digits is one #, and runs of spaces one space.
 */
function masked(screen: string): string {
	return screen
		.split('\n')
		.map((line, i) => (i === 0 && line.startsWith('● ') ? line.split(' · ')[0]! : line.replace(/\d+/g, '#').replace(/ +/g, ' ').trimEnd()))
		.join('\n');
}

/**
 * The pane once the first pass has succeeded and the frame has stopped changing (masked) for
 * longer than the dashboard gathers account events (1 s) before re-reading the accounts.
 */
async function settled(pane: TmuxPane, what: string): Promise<string> {
	const deadline = Date.now() + 15_000;
	let last = '';
	let since = Date.now();
	for (;;) {
		await new Promise(r => setTimeout(r, 150));
		const now = masked(pane.capture());
		if (now !== last) {
			last = now;
			since = Date.now();
		} else if (Date.now() - since >= 1500 && now.startsWith('● ok\n')) return now;
		if (Date.now() > deadline) throw new Error(`${what}: the frame did not settle:\n${now}`);
	}
}

describe.skipIf(skipWithout('tmux'))(titled('resizing the dashboard', 'tmux'), () => {
	it('shrinking and growing through every layout boundary redraws the frame as a fresh launch draws it', async () => {
		const cpa = await startStandIn({generation: 'v7'});
		// Twenty minutes of requests: none leaves the last hour while the test runs.
		const {dir, dbPath} = dashboardDb(20_000);
		const env = {CLIPROXY_URL: cpa.url, CLIPROXY_MANAGEMENT_KEY: 'test-management-key', DB_PATH: dbPath, TIMEZONE: 'UTC', COLLECTOR_TRIGGER_PORT: '0', COLLECTOR_SOURCE: 'queue', PRICES_AUTO_UPDATE: 'false'};

		const fresh = new Map<string, string>();
		for (const [columns, rows] of SIZES) {
			const key = `${columns}x${rows}`;
			if (fresh.has(key)) continue;
			const pane = dashboardPane(columns, rows, env, dir);
			fresh.set(key, await settled(pane, `fresh ${key}`));
			pane.keys('q');
		}

		const [first, ...rest] = SIZES;
		const pane = dashboardPane(first![0], first![1], env, dir);
		expect(await settled(pane, `${first!.join('x')}`)).toBe(fresh.get(first!.join('x')));
		const mismatches: string[] = [];
		let from = first!.join('x');
		for (const [columns, rows] of rest) {
			const key = `${columns}x${rows}`;
			pane.resize(columns, rows);
			const screen = await settled(pane, `${from} → ${key}`);
			if (screen !== fresh.get(key)) mismatches.push(`${from} → ${key}:\n--- after the resize\n${screen}\n--- fresh\n${fresh.get(key)}`);
			from = key;
		}
		expect(mismatches.join('\n\n')).toBe('');
		pane.keys('q');
	}, 240_000);
});
