import {spawn} from 'node:child_process';
import {fileURLToPath} from 'node:url';

export const CLI = fileURLToPath(new URL('../../dist/bundle/cli.js', import.meta.url));
/**
 * File modes do not stop root (CAP_DAC_OVERRIDE). For the read-only database tests, a root
 * run drops that capability (and its kin) before starting the CLI, so the modes apply to it
 * as to its owner; any other user is stopped by them already.
 */
const RESTRICT = process.getuid?.() === 0 ? ['setpriv', '--bounding-set', '-dac_override,-dac_read_search,-fowner', '--inh-caps', '-all'] : [];

/** The command line that runs the built CLI; `restricted`: subject to file modes even as root. */
export function cliCommand(args: readonly string[], restricted = false): string[] {
	return [...(restricted ? RESTRICT : []), process.execPath, CLI, ...args];
}

export type CliResult = {code: number | null; stdout: string; stderr: string};

/** Runs the built CLI with only the environment given (plus PATH), in `cwd`, with `input` as its standard input; `restricted`: see cliCommand. */
export function runCli(args: string[], env: Record<string, string>, cwd: string, timeoutMs = 15_000, input = '', restricted = false): Promise<CliResult> {
	return new Promise((resolve, reject) => {
		const [command, ...argv] = cliCommand(args, restricted);
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
