import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {readAccountViews} from '../../source/accounts/read-accounts.js';
import {v7Record} from '../support/fixtures.js';
import {collectorFor, startStandIn} from '../support/harness.js';
import {CLAUDE_200_ALLOWED, CLAUDE_200_WARNING, CLAUDE_429_REJECTED, CODEX_WEEKLY_ONLY, CODEX_WITH_SPARK, lowerBare, withNoise} from '../support/quota-captures.js';

const t0 = Date.parse('2026-04-28T20:00:00Z');
const CLAUDE = 'c1aude0000000001';
const CODEX = 'c0dex00000000001';
const FREE = 'f4ee000000000001';

/** Records carrying real header captures, through the real queue collector into a real SQLite file. */
async function collect(records: Array<Record<string, unknown>>, now = t0 + 3_600_000) {
	const cpa = await startStandIn({generation: 'v7'});
	const h = collectorFor(cpa, {COLLECTOR_SOURCE: 'queue'}, {now: () => now});
	cpa.enqueue(...records);
	const pass = await h.collector.trigger();
	expect(pass.ok, pass.error).toBe(true);
	return {cpa, h, views: (at = now) => readAccountViews(h.db, h.config.zone, 'today', at)};
}

const windowsOf = (views: ReturnType<Awaited<ReturnType<typeof collect>>['views']>, authIndex: string) =>
	views.find(a => a.authIndex === authIndex)!.quotas.map(q => [q.id, q.label, q.usedPercent, q.resetsAt, q.status]);

describe('official quota windows from response headers', () => {
	it('reads every window of the real captures, in both key casings and value forms, with units and resets right', async () => {
		const {views} = await collect([
			v7Record({at: t0, provider: 'claude', authIndex: CLAUDE, headers: withNoise(CLAUDE_200_ALLOWED)}),
			v7Record({at: t0 + 60_000, provider: 'claude', authIndex: CLAUDE, headers: lowerBare(CLAUDE_200_WARNING)}),
			v7Record({at: t0 + 120_000, provider: 'codex', model: 'gpt-5-codex', authIndex: CODEX, headers: lowerBare(CODEX_WITH_SPARK)}),
			v7Record({at: t0 + 180_000, provider: 'codex', model: 'gpt-5-codex', authIndex: FREE, headers: withNoise(CODEX_WEEKLY_ONLY)}),
		]);
		const v = views(t0 + 3_600_000);
		// The newer warning capture wins for 5h and weekly, and adds the Sonnet window. Its 5h reset
		// (1777420800 = 00:00Z on the 29th) is still ahead at 21:00Z on the 28th.
		expect(windowsOf(v, CLAUDE)).toEqual([
			['7d', 'weekly', 85, 1777575600_000, 'warning'],
			['5h', '5h', 35, 1777420800_000, 'allowed'],
			['7d_sonnet', 'weekly Sonnet', 7, 1777575600_000, 'allowed'],
		]);
		const codexAt = new Date('2026-04-28T20:00:00Z').getTime();
		expect(codexAt).toBeLessThan(1782105247_000);
		expect(windowsOf(v, CODEX)).toEqual([
			['7d', 'weekly', 22, 1782400970_000, null],
			['5h', '5h', 4, 1782105247_000, null],
			['bengalfox:5h', 'Spark 5h', 0, 1782115844_000, null],
			['bengalfox:7d', 'Spark weekly', 0, 1782702643_000, null],
		]);
		expect(windowsOf(v, FREE)).toEqual([['7d', 'weekly', 61.5, t0 + 180_000 + 86_400_000, null]]);
		expect(v.find(a => a.authIndex === CODEX)!.plan).toBe('pro');
		expect(v.find(a => a.authIndex === FREE)!.plan).toBe('free');
		for (const a of v) for (const q of a.quotas) expect(q.source).toBe('headers');
	});

	it('a 429 marks the window rejected past 100 % and the account cooling down until its reset', async () => {
		const {views} = await collect([
			v7Record({at: t0, provider: 'claude', authIndex: CLAUDE, headers: CLAUDE_200_WARNING}),
			v7Record({at: t0 + 1000, provider: 'claude', authIndex: CLAUDE, failed: true, statusCode: 429, headers: CLAUDE_429_REJECTED}),
		]);
		const a = views(t0 + 60_000).find(x => x.authIndex === CLAUDE)!;
		expect(a.quotas[0]).toMatchObject({id: '5h', usedPercent: 113, status: 'rejected'});
		expect(a.state).toBe('cooling_down');
		expect(a.cooldownUntil).toBe(Math.max(1777500000_000, t0 + 1000 + 3_600_000));
		expect(a.usage).toMatchObject({requests: 2, failed: 1, rateLimited: 1, cancelled: 0});
	});

	it('keeps a window a later response does not carry, ignores older observations, and reads 0 % once the reset passed', async () => {
		const sonnetLater = {...CLAUDE_200_ALLOWED};
		const {views} = await collect([
			v7Record({at: t0 + 60_000, provider: 'claude', authIndex: CLAUDE, headers: CLAUDE_200_WARNING}),
			// Older than the warning: must not overwrite it. Later: carries no Sonnet window.
			v7Record({at: t0, provider: 'claude', authIndex: CLAUDE, headers: {'Anthropic-Ratelimit-Unified-7d-Utilization': ['0.5'], 'Anthropic-Ratelimit-Unified-7d-Reset': ['1777575600']}}),
			v7Record({at: t0 + 120_000, provider: 'claude', authIndex: CLAUDE, headers: {'Content-Type': ['text/event-stream']}}),
			v7Record({at: t0 + 180_000, provider: 'claude', authIndex: CLAUDE, headers: sonnetLater, model: 'claude-haiku-4-5'}),
		]);
		// CLAUDE_200_ALLOWED has later 5h/7d resets (a new period): it replaces them, Sonnet stays.
		expect(windowsOf(views(t0 + 3_600_000), CLAUDE)).toEqual([
			['7d_sonnet', 'weekly Sonnet', 7, 1777575600_000, 'allowed'],
			['5h', '5h', 0, 1777500000_000, 'allowed'],
			['7d', 'weekly', 0, 1777561200_000, 'allowed'],
		]);
		const after5h = views(1777500000_000 + 1000).find(a => a.authIndex === CLAUDE)!;
		expect(after5h.quotas.find(q => q.id === '5h')).toMatchObject({usedPercent: 0, status: 'reset', resetsAt: null});
	});

	it('never writes a cookie, an organisation or request id, or session state to the database or the log', async () => {
		const {h} = await collect([
			v7Record({at: t0, provider: 'claude', authIndex: CLAUDE, headers: withNoise(CLAUDE_200_WARNING)}),
			v7Record({at: t0 + 1, provider: 'codex', model: 'gpt-5-codex', authIndex: CODEX, headers: withNoise(CODEX_WITH_SPARK)}),
		]);
		h.db.pragma('wal_checkpoint(TRUNCATE)');
		const bytes = readFileSync(h.config.dbPath).toString('latin1');
		for (const secret of ['SECRETCOOKIEVALUE', 'ANOTHERSECRET', 'req_011CVsecret', '0f1e2d3c-4b5a', 'opaque-replayable-state', '9a1b2c3d4e5f-FRA']) {
			expect(bytes).not.toContain(secret);
			expect(JSON.stringify(h.logs)).not.toContain(secret);
		}
		expect(bytes).toContain('weekly Sonnet');
	});

	it('ignores quota headers on a record of another provider, or without an upstream answer', async () => {
		const {views} = await collect([
			v7Record({at: t0, provider: 'antigravity', model: 'claude-sonnet-4-5', authIndex: CLAUDE, headers: CLAUDE_200_WARNING}),
			v7Record({at: t0 + 1, provider: 'claude', authIndex: CODEX, statusCode: 0, failed: true, headers: CLAUDE_200_WARNING}),
		]);
		for (const a of views()) expect(a.quotas).toEqual([]);
	});
});
