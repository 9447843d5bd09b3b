import {spawn, type ChildProcess} from 'node:child_process';
import {join} from 'node:path';
import {CLI} from './spawn-cli.js';
import {onCleanup, tempDir} from './temp.js';

export type Headless = {
	child: ChildProcess;
	url: string;
	dir: string;
	dbPath: string;
	stdout: () => string;
	stderr: () => string;
	logs: () => Array<Record<string, unknown>>;
	exited: Promise<number | null>;
};

/** Spawns the built `cliproxy-usage --headless` on an ephemeral port and waits until it listens. */
export async function startHeadless(env: Record<string, string>, timeoutMs = 15_000): Promise<Headless> {
	const dir = tempDir();
	const dbPath = join(dir, 'collector.db');
	const child = spawn(process.execPath, [CLI, '--headless'], {
		cwd: dir,
		env: {PATH: process.env['PATH'] ?? '', TZ: 'UTC', DB_PATH: dbPath, COLLECTOR_TRIGGER_PORT: '0', TIMEZONE: 'UTC', LOG_LEVEL: 'debug', ...env},
	});
	let out = '';
	let err = '';
	child.stdout!.on('data', d => (out += d));
	child.stderr!.on('data', d => (err += d));
	const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)));
	onCleanup(async () => {
		if (child.exitCode === null && child.signalCode === null) {
			child.kill('SIGKILL');
			await exited;
		}
	});
	const logs = () =>
		out
			.split('\n')
			.filter(Boolean)
			.map(line => JSON.parse(line) as Record<string, unknown>);
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const listening = logs().find(l => l['msg'] === 'HTTP API listening');
		if (listening) return {child, url: listening['url'] as string, dir, dbPath, stdout: () => out, stderr: () => err, logs, exited};
		if (child.exitCode !== null) throw new Error(`headless exited with ${child.exitCode}\nstdout: ${out}\nstderr: ${err}`);
		if (Date.now() > deadline) throw new Error(`headless did not start\nstdout: ${out}\nstderr: ${err}`);
		await new Promise(r => setTimeout(r, 25));
	}
}

export async function waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
		await new Promise(r => setTimeout(r, 25));
	}
}
