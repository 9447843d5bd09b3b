import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {resolveConfig, type Config} from '../../source/core/config.js';

const cleanups: Array<() => unknown> = [];

/** Runs after each test (test/setup.ts), newest first. */
export function onCleanup(fn: () => unknown): void {
	cleanups.push(fn);
}

export async function runTestCleanups(): Promise<void> {
	while (cleanups.length > 0) await cleanups.pop()!();
}

export function tempDir(): string {
	const dir = mkdtempSync(join(tmpdir(), 'cliproxy-usage-test-'));
	onCleanup(() => rmSync(dir, {recursive: true, force: true}));
	return dir;
}

export function testConfig(env: Record<string, string> = {}): Config {
	return resolveConfig({DB_PATH: join(tempDir(), 'collector.db'), CLIPROXY_MANAGEMENT_KEY: 'test-management-key', TIMEZONE: 'UTC', ...env});
}
