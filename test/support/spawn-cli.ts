import {spawn} from 'node:child_process';
import {fileURLToPath} from 'node:url';

export const CLI = fileURLToPath(new URL('../../dist/bundle/cli.js', import.meta.url));

export type CliResult = {code: number | null; stdout: string; stderr: string};

/** Runs the built CLI with only the environment given (plus PATH), in `cwd`, with `input` as its standard input. */
export function runCli(args: string[], env: Record<string, string>, cwd: string, timeoutMs = 15_000, input = ''): Promise<CliResult> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [CLI, ...args], {cwd, env: {PATH: process.env['PATH'] ?? '', TZ: 'UTC', ...env}});
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
