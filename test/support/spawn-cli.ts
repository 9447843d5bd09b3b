import {spawn} from 'node:child_process';
import {fileURLToPath} from 'node:url';

export const CLI = fileURLToPath(new URL('../../dist/bundle/cli.js', import.meta.url));
const RUN_AS = fileURLToPath(new URL('./run-as.mjs', import.meta.url));

/** A user whom file modes stop: this one, or `nobody` when the tests run as root. */
export const UNPRIVILEGED = process.getuid?.() === 0 ? {uid: 65534, gid: 65534} : null;

/** The command line that runs the built CLI, as `user` when given. */
export function cliCommand(args: readonly string[], user: {uid: number; gid: number} | null = null): string[] {
	return user ? [process.execPath, RUN_AS, String(user.uid), String(user.gid), CLI, ...args] : [process.execPath, CLI, ...args];
}

export type CliResult = {code: number | null; stdout: string; stderr: string};

/** Runs the built CLI with only the environment given (plus PATH), in `cwd`, with `input` as its standard input, as `user` if given. */
export function runCli(args: string[], env: Record<string, string>, cwd: string, timeoutMs = 15_000, input = '', user: {uid: number; gid: number} | null = null): Promise<CliResult> {
	return new Promise((resolve, reject) => {
		const [command, ...argv] = cliCommand(args, user);
		const child = spawn(command!, argv, {cwd, env: {PATH: process.env['PATH'] ?? '', TZ: 'UTC', ...env}});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', d => (stdout += d));
		child.stderr.on('data', d => (stderr += d));
		child.stdin.on('error', () => {}); // the CLI may exit without reading it
		child.stdin.end(input);
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`cli ${args.join(' ')} timed out\nstdout: ${stdout}\nstderr: ${stderr}`));
		}, timeoutMs);
		child.on('close', code => {
			clearTimeout(timer);
			resolve({code, stdout, stderr});
		});
	});
}
