import {describe, expect, it} from 'vitest';
import type {Bench, BenchResult} from '../../bench/harness.js';
import {benchmarksMd, groupsOf, notMeasured, runGroups} from '../../bench/runner.js';

const result = (figure: string): BenchResult => ({figure, budget: '>= 1', pass: true, method: 'counted'});
const bench = (id: string, extra: Partial<Bench> = {}): Bench => ({id, title: `the ${id} bench`, run: async () => result(id), ...extra});

const BENCHES = [bench('queue-ingest'), bench('resp-ingest', {needs: ['redis-server']}), bench('broken'), bench('tui-first-frame', {group: 'tui', needs: ['tmux']}), bench('tui-rss', {group: 'tui', needs: ['tmux']}), bench('reports')];

describe('npm run bench', () => {
	it('goes on past a bench whose program is missing, or that fails, and keeps every figure it measured', () => {
		const ran: string[][] = [];
		const outcomes = runGroups(
			groupsOf(BENCHES),
			group => {
				ran.push(group.map(b => b.id));
				if (group[0]!.id === 'broken') throw new Error('the bench process failed (exit 1; its error is above)');
				return group.map(b => result(`42 ${b.id}/s`));
			},
			tool => tool === 'tmux',
		);
		expect(ran).toEqual([['queue-ingest'], ['broken'], ['tui-first-frame', 'tui-rss'], ['reports']]);
		expect(outcomes.map(o => [o.benches.map(b => b.id), o.kind])).toEqual([
			[['queue-ingest'], 'measured'],
			[['resp-ingest'], 'skipped'],
			[['broken'], 'failed'],
			[['tui-first-frame', 'tui-rss'], 'measured'],
			[['reports'], 'measured'],
		]);
		expect(notMeasured(outcomes)).toBe(
			[
				'Not measured (their sections in BENCHMARKS.md keep the last figures):',
				'  resp-ingest: SKIPPED: redis-server is not installed (apt-get install redis-server)',
				'  broken: FAILED: the bench process failed (exit 1; its error is above)',
				'',
			].join('\n'),
		);

		const before = benchmarksMd('', BENCHES, [{benches: BENCHES, kind: 'measured', results: BENCHES.map(b => result(`1 ${b.id}/s`))}], '2026-11-01', 'npm run bench');
		const after = benchmarksMd(before, BENCHES, outcomes, '2026-12-01', 'npm run bench');
		const figure = (md: string, id: string) => new RegExp(`<!-- bench:${id} -->[\\s\\S]*?\\| \\*\\*([^*]+)\\*\\* \\|[^\\n]*\\| (\\d{4}-\\d\\d-\\d\\d) \\|`).exec(md)!.slice(1);
		expect(figure(after, 'queue-ingest')).toEqual(['42 queue-ingest/s', '2026-12-01']);
		expect(figure(after, 'tui-rss')).toEqual(['42 tui-rss/s', '2026-12-01']);
		expect(figure(after, 'resp-ingest')).toEqual(['1 resp-ingest/s', '2026-11-01']);
		expect(figure(after, 'broken')).toEqual(['1 broken/s', '2026-11-01']);
	});

	it('says nothing more when everything was measured', () => {
		expect(notMeasured(runGroups(groupsOf([bench('reports')]), g => g.map(() => result('1')), () => true))).toBe('');
	});
});
