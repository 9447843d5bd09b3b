import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {v7Record} from '../support/fixtures.js';
import {startStandIn} from '../support/harness.js';
import {runCli} from '../support/spawn-cli.js';
import {tempDir} from '../support/temp.js';


const dateIn = (zone: string, at: number) => new Intl.DateTimeFormat('en-CA', {timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit'}).format(at);
const hourIn = (zone: string, at: number) => Number(new Intl.DateTimeFormat('en-GB', {timeZone: zone, hour: '2-digit', hourCycle: 'h23'}).format(at));

/**
 * A zone far from UTC whose local day is at least an hour old and not about to end, so that
 * today there holds stored requests and does not turn over while the commands run (with Ho Chi
 * Minh alone the test failed every day from 17:00 to 17:01 UTC, its local midnight).
 */
const readingZone = (at: number) => ['Asia/Ho_Chi_Minh', 'Asia/Kolkata', 'America/Los_Angeles'].find(z => hourIn(z, at) >= 1 && hourIn(z, at) < 23)!;

describe('a collector in UTC, read in another zone', () => {
	it('--once, report daily and report models agree on today in another zone, with nothing rebuilt', async () => {
		const cpa = await startStandIn({generation: 'v7'});
		const now = Date.now();
		const times = Array.from({length: 240}, (_, i) => now - 60_000 - i * 17 * 60_000); // the last ~68 hours
		for (const [i, at] of times.entries()) cpa.enqueue(v7Record({at, input: 1000 + i, output: 100, failed: i % 31 === 0}));
		const dir = tempDir();
		const base = {CLIPROXY_URL: cpa.url, CLIPROXY_MANAGEMENT_KEY: 'test-management-key', DB_PATH: join(dir, 'c.db')};
		// As systemd runs it: UTC.
		const collected = await runCli(['--once', '--json'], {...base, TIMEZONE: 'UTC'}, dir);
		expect(collected.code, collected.stderr).toBe(0);
		expect(JSON.parse(collected.stdout).collected.inserted).toBe(240);

		const zone = readingZone(now);
		const env = {...base, TIMEZONE: zone};
		const today = dateIn(zone, Date.now());
		const want = times.filter(t => dateIn(zone, t) === today).length;
		expect(want).toBeGreaterThan(0);
		const once = JSON.parse((await runCli(['--once', '--json'], env, dir)).stdout);
		expect(once.today).toMatchObject({date: today, zone, requests: want});
		const days = JSON.parse((await runCli(['report', 'daily', '--json'], env, dir)).stdout) as Array<{stat_date: string; total_requests: number; estimated_cost_usd: number}>;
		expect(days.find(d => d.stat_date === today)?.total_requests).toBe(want);
		expect(days.map(d => d.stat_date)).toEqual([...new Set(times.map(t => dateIn(zone, t)))].sort());
		const models = JSON.parse((await runCli(['report', 'models', '--json', '--since', today, '--until', today], env, dir)).stdout) as Array<{requests: number; cost_usd: number}>;
		expect(models.reduce((n, m) => n + m.requests, 0)).toBe(want);
		expect(Math.round(models.reduce((n, m) => n + m.cost_usd, 0) * 1e6)).toBe(Math.round(days.find(d => d.stat_date === today)!.estimated_cost_usd * 1e6));
		expect(once.today.cost_usd).toBeCloseTo(models.reduce((n, m) => n + m.cost_usd, 0), 6);
		// And back in UTC the days are UTC's again.
		const utc = JSON.parse((await runCli(['report', 'daily', '--json'], {...base, TIMEZONE: 'UTC'}, dir)).stdout) as Array<{stat_date: string; total_requests: number}>;
		expect(utc.map(d => [d.stat_date, d.total_requests])).toEqual(
			[...new Set(times.map(t => dateIn('UTC', t)))].sort().map(d => [d, times.filter(t => dateIn('UTC', t) === d).length]),
		);
	});
});
