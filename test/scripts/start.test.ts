import {spawn} from 'node:child_process';
import {mkdirSync, statSync, utimesSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {BUNDLE, staleBecause} from '../../scripts/stale-build.mjs';
import {tempDir} from '../support/temp.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function file(root: string, path: string, at: number): void {
	mkdirSync(dirname(join(root, path)), {recursive: true});
	writeFileSync(join(root, path), 'x');
	utimesSync(join(root, path), at / 1000, at / 1000);
}

describe('npm start builds only when a source changed', () => {
	it('names the first input newer than the bundle, or the missing bundle', () => {
		const root = tempDir();
		const t = Date.now() - 3_600_000;
		file(root, 'source/cli.tsx', t);
		file(root, 'source/ui/app.tsx', t);
		file(root, 'package.json', t);
		file(root, 'scripts/bundle.mjs', t);
		expect(staleBecause(root)).toBe(`${BUNDLE} does not exist yet`);
		file(root, BUNDLE, t + 1000);
		expect(staleBecause(root)).toBeNull();
		file(root, 'source/ui/app.tsx', t + 2000);
		expect(staleBecause(root)).toBe('source/ui/app.tsx changed since the last build');
		file(root, BUNDLE, t + 3000);
		file(root, 'package.json', t + 4000);
		expect(staleBecause(root)).toBe('package.json changed since the last build');
		file(root, BUNDLE, t + 5000);
		file(root, 'source/new-module.ts', t + 6000);
		expect(staleBecause(root)).toBe('source/new-module.ts changed since the last build');
	});

	it('with a fresh bundle (npm test has just built it) it runs the CLI at once, without building', async () => {
		expect(staleBecause(ROOT), 'run npm run build first').toBeNull();
		const built = statSync(join(ROOT, BUNDLE)).mtimeMs;
		const result = await new Promise<{code: number | null; stdout: string; stderr: string}>(resolve => {
			const child = spawn(process.execPath, [join(ROOT, 'scripts/start.mjs'), 'limits', 'add', '--help'], {cwd: tempDir(), env: {PATH: process.env['PATH'] ?? ''}});
			let stdout = '';
			let stderr = '';
			child.stdout.on('data', d => (stdout += d));
			child.stderr.on('data', d => (stderr += d));
			child.on('close', code => resolve({code, stdout, stderr}));
		});
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		expect(result.stdout).toContain('$ cliproxy-usage limits add --provider NAME');
		expect(statSync(join(ROOT, BUNDLE)).mtimeMs).toBe(built);
	});
});
