import {hasTool, installHint} from '../test/support/tools.js';
import {machine, type Bench, type BenchResult} from './harness.js';

/** What became of one group of benches. */
export type Outcome = {benches: Bench[]} & ({kind: 'measured'; results: BenchResult[]} | {kind: 'skipped' | 'failed'; reason: string});

/** Benches in one group run in one process, in the order listed. */
export function groupsOf(selected: readonly Bench[]): Bench[][] {
	const groups = new Map<string, Bench[]>();
	for (const bench of selected) groups.set(bench.group ?? bench.id, [...(groups.get(bench.group ?? bench.id) ?? []), bench]);
	return [...groups.values()];
}

/**
 * Runs every group, each in `run` (a fresh process): a group whose program is missing is
 * skipped, a group that fails is reported; neither stops the others, so every figure that
 * can be measured is.
 */
export function runGroups(groups: readonly Bench[][], run: (group: Bench[]) => BenchResult[], has = hasTool, log: (text: string) => void = () => {}): Outcome[] {
	return groups.map(benches => {
		log(`${benches.map(b => b.title).join('; ')} … `);
		const missing = [...new Set(benches.flatMap(b => b.needs ?? []))].filter(t => !has(t));
		let outcome: Outcome;
		if (missing.length > 0) outcome = {benches, kind: 'skipped', reason: `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not installed (${installHint(missing)})`};
		else {
			try {
				outcome = {benches, kind: 'measured', results: run(benches)};
			} catch (error) {
				outcome = {benches, kind: 'failed', reason: (error as Error).message};
			}
		}
		log(`\n${describe(outcome)}\n`);
		return outcome;
	});
}

function describe(o: Outcome): string {
	if (o.kind !== 'measured') return o.benches.map(b => `  ${b.id}: ${o.kind.toUpperCase()}: ${o.reason}`).join('\n');
	return o.results.map((r, i) => `  ${o.benches[i]!.id}: ${r.figure} (${r.pass ? 'within' : 'OVER'} budget ${r.budget})`).join('\n');
}

/** The closing lines: what was not measured and why (empty when everything was). */
export function notMeasured(outcomes: readonly Outcome[]): string {
	const lines = outcomes.filter(o => o.kind !== 'measured').map(describe);
	return lines.length ? `Not measured (their sections in BENCHMARKS.md keep the last figures):\n${lines.join('\n')}\n` : '';
}

/** BENCHMARKS.md with the measured sections replaced and every other section kept as it was. */
export function benchmarksMd(existing: string, all: readonly Bench[], outcomes: readonly Outcome[], date: string, command: string): string {
	const kept = new Map<string, string>();
	for (const m of existing.matchAll(/<!-- bench:([\w-]+) -->[\s\S]*?<!-- \/bench:\1 -->/g)) kept.set(m[1]!, m[0]);
	for (const o of outcomes) if (o.kind === 'measured') o.benches.forEach((b, i) => kept.set(b.id, section(b, o.results[i]!, date, command)));
	const ordered = all.filter(b => kept.has(b.id)).map(b => kept.get(b.id)!);
	return `# Benchmarks\n\nBudgets are PRODUCT.md's. Every figure comes from \`npm run bench\` (or \`npm run bench -- <id>\` for one), which rewrites its own section below. Never as timed unit tests.\n\n${ordered.join('\n\n')}\n`;
}

function section(b: Bench, r: BenchResult, date: string, command: string): string {
	return [
		`<!-- bench:${b.id} -->`,
		`### ${b.title}`,
		'',
		`| figure | budget | verdict | date | command |`,
		`|---|---|---|---|---|`,
		`| **${r.figure}** | ${r.budget} | ${r.pass ? 'within budget' : '**over budget**'} | ${date} | \`${command}\` |`,
		'',
		`Machine: ${machine()}.`,
		'',
		`Method: ${r.method}${r.details ? `\n\nDetails: ${r.details}` : ''}`,
		`<!-- /bench:${b.id} -->`,
	].join('\n');
}
