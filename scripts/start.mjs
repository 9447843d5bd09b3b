// `npm start`: build only when a source changed since the last build, then run the CLI in
// this process with the arguments given (`npm start -- --compact`).
import {spawnSync} from 'node:child_process';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {join} from 'node:path';
import {BUNDLE, staleBecause} from './stale-build.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const why = staleBecause(root);
if (why) {
	process.stderr.write(`Building first: ${why} (npm run build).\n`);
	const npm = process.env['npm_execpath'];
	const build = npm ? spawnSync(process.execPath, [npm, 'run', '-s', 'build'], {cwd: root, stdio: 'inherit'}) : spawnSync('npm', ['run', '-s', 'build'], {cwd: root, stdio: 'inherit'});
	if (build.status !== 0) process.exit(build.status ?? 1);
}
process.argv = [process.argv[0], join(root, BUNDLE), ...process.argv.slice(2)];
await import(pathToFileURL(join(root, BUNDLE)).href);
