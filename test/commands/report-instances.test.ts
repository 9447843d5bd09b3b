import {describe, expect, it} from 'vitest';
import {parse} from 'csv-parse/sync';
import type {UsageRecord} from '../../source/core/cpa/usage-record.js';
import {assignInstanceTags} from '../../source/store/instances.js';
import {UsageWriter} from '../../source/store/usage-writer.js';
import {seededDb, spreadRecords, testPricer} from '../support/seed.js';
import {runCli} from '../support/spawn-cli.js';

const UTC = {kind: 'iana', name: 'UTC'} as const;
const start = Date.parse('2026-11-02T00:00:00Z');
const end = Date.parse('2026-11-16T00:00:00Z');

/** A database two CPAs wrote to: team (the first, tag '') and laptop; laptop also served the very same requests team did. */
function twoInstances() {
	const {db, writer, salt, path} = seededDb(UTC);
	assignInstanceTags(db, ['team', 'laptop'], start);
	const laptop = new UsageWriter(db, UTC, salt, testPricer, 'laptop');
	const shared = spreadRecords(salt, start, end, 300);
	const own = spreadRecords(salt, start + 3600_000, end, 90).map((r): UsageRecord => ({...r, model: 'laptop-only-model'}));
	writer.ingest(shared, end);
	laptop.ingest([...shared, ...own], end);
	const tokens = (rs: readonly UsageRecord[]) => rs.reduce((n, r) => n + r.tokens.total, 0);
	return {path, dir: path.replace(/\/collector\.db$/, ''), team: {requests: 300, tokens: tokens(shared)}, laptop: {requests: 390, tokens: tokens(shared) + tokens(own)}};
}

const run = async (args: string[], path: string, dir: string) => {
	const result = await runCli(args, {DB_PATH: path, TIMEZONE: 'UTC', CLIPROXY_URL: 'team=http://127.0.0.1:9,laptop=http://127.0.0.1:10'}, dir);
	return result;
};

describe('report with several CPAs in the database', () => {
	it('models --json rows say their instance; --instance narrows to one; totals across all add up', async () => {
		const w = twoInstances();
		const all = await run(['report', 'models', '--json'], w.path, w.dir);
		expect(all.code, all.stderr).toBe(0);
		const rows = JSON.parse(all.stdout) as Array<{instance: string; model: string; requests: number; total_tokens: number}>;
		const by = (name: string) => rows.filter(r => r.instance === name);
		expect(new Set(rows.map(r => r.instance))).toEqual(new Set(['team', 'laptop']));
		expect(by('team').reduce((n, r) => n + r.requests, 0)).toBe(w.team.requests);
		expect(by('laptop').reduce((n, r) => n + r.requests, 0)).toBe(w.laptop.requests);
		expect(rows.reduce((n, r) => n + r.total_tokens, 0)).toBe(w.team.tokens + w.laptop.tokens);
		expect(by('team').some(r => r.model === 'laptop-only-model')).toBe(false);

		const laptop = JSON.parse((await run(['report', 'models', '--json', '--instance', 'laptop'], w.path, w.dir)).stdout) as typeof rows;
		expect(laptop.every(r => r.instance === 'laptop')).toBe(true);
		expect(laptop.reduce((n, r) => n + r.total_tokens, 0)).toBe(w.laptop.tokens);

		const csv = parse((await run(['report', 'models', '--csv'], w.path, w.dir)).stdout, {columns: true}) as Array<Record<string, string>>;
		expect(Object.keys(csv[0]!)[0]).toBe('instance');
		expect(csv.reduce((n, r) => n + Number(r['requests']), 0)).toBe(w.team.requests + w.laptop.requests);
	});

	it('daily --json: each day says what each instance did; --instance gives one instance\'s days; the table shows an instance column', async () => {
		const w = twoInstances();
		const days = JSON.parse((await run(['report', 'daily', '--json'], w.path, w.dir)).stdout) as Array<{total_requests: number; total_tokens: number; breakdown: {instances: Record<string, {requests: number; tokens: number}>}}>;
		expect(days.reduce((n, d) => n + d.total_requests, 0)).toBe(w.team.requests + w.laptop.requests);
		for (const d of days) expect(Object.values(d.breakdown.instances).reduce((n, i) => n + i.requests, 0)).toBe(d.total_requests);
		expect(days.reduce((n, d) => n + (d.breakdown.instances['laptop']?.tokens ?? 0), 0)).toBe(w.laptop.tokens);
		const team = JSON.parse((await run(['report', 'daily', '--json', '--instance', 'team'], w.path, w.dir)).stdout) as typeof days;
		expect(team.reduce((n, d) => n + d.total_tokens, 0)).toBe(w.team.tokens);
		const weekly = JSON.parse((await run(['report', 'weekly', '--json'], w.path, w.dir)).stdout) as Array<{instances: string[]}>;
		expect(weekly.map(r => r.instances)).toEqual(weekly.map(() => ['laptop', 'team']));

		const table = await run(['report', 'models', '--instance', 'laptop'], w.path, w.dir);
		expect(table.stdout).toContain('· instance laptop');
		expect(table.stdout.split('\n').find(l => l.includes('Model'))).toMatch(/Model\s+│ Instance │ Provider/);
	});

	it('refuses an instance the database does not hold, naming the ones it does (exit 2)', async () => {
		const w = twoInstances();
		const result = await run(['report', 'daily', '--instance', 'lab'], w.path, w.dir);
		expect(result.code).toBe(2);
		expect(result.stderr).toBe('cliproxy-usage: --instance: no instance named "lab" in this database; known: team, laptop.\n');
	});
});
