import {closeSync, copyFileSync, fsyncSync, openSync} from 'node:fs';
import {cpus, totalmem} from 'node:os';
import type {Tool} from '../test/support/tools.js';

export type BenchResult = {
	/** The measured figure, formatted, e.g. "182,000 records/s". */
	figure: string;
	budget: string;
	pass: boolean;
	/** How it was measured, in a sentence. */
	method: string;
	details?: string;
};

/**
 * `group`: benches that share one measurement (the dashboard's launches) run in one process.
 * `needs`: programs besides Node it runs; without one the bench is skipped, saying so.
 */
export type Bench = {id: string; title: string; group?: string; needs?: readonly Tool[]; run(): Promise<BenchResult>};

export function machine(): string {
	const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
	return `${cpu}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${process.platform}/${process.arch}`;
}

export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function fmt(value: number, digits = 0): string {
	return value.toLocaleString('en-US', {maximumFractionDigits: digits, minimumFractionDigits: digits});
}

/**
 * A copy of a cached database for one timed run, written out before the clock starts: without
 * the fsync the kernel writes back the copy's 1.1 GB (10M) during the run, and SQLite's own
 * fsyncs (a WAL checkpoint, a commit) wait for all of it.
 */
export function copyForRun(from: string, to: string): void {
	copyFileSync(from, to);
	const fd = openSync(to, 'r+');
	try {
		fsyncSync(fd);
	} finally {
		closeSync(fd);
	}
}

export function gc(): void {
	(globalThis as {gc?: () => void}).gc?.();
}

/** The [provider, model] mix the ingest, pricing and report benches write: four providers, seven models. */
/**
 * Twenty credentials, each of one provider as in CPA (8 Claude, 6 Codex, 3 Gemini, 3 API keys
 * of an OpenAI-compatible provider): the account a request of that provider was served from.
 */
export function benchAccount(provider: string, n: number): string {
	const pools: Record<string, [number, number]> = {claude: [0, 8], codex: [8, 6], gemini: [14, 3]};
	const [first, size] = pools[provider] ?? [17, 3];
	return (0xa0000000_00000000n + BigInt(first + (Math.floor(n / 7) % size))).toString(16);
}

export const MODEL_MIX: ReadonlyArray<readonly [string, string]> = [
	['claude', 'claude-sonnet-4-5-20250929'],
	['claude', 'claude-opus-4-1-20250805'],
	['codex', 'gpt-5-codex'],
	['codex', 'gpt-5.1'],
	['gemini', 'gemini-2.5-pro'],
	['gemini', 'gemini-3-pro-preview'],
	['openai-compatibility', 'glm-4.6'],
];
