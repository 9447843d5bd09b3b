// Whether the bundle is older than what it is built from: `npm start` builds only then.
import {existsSync, readdirSync, statSync} from 'node:fs';
import {join, relative} from 'node:path';

export const BUNDLE = 'dist/bundle/cli.js';

/** What the build reads: the sources, the build scripts and the settings of tsc, esbuild and npm. */
const INPUTS = ['source', 'scripts/bundle.mjs', 'scripts/yoga-entry.mjs', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];

function* files(path) {
	if (!existsSync(path)) return;
	if (!statSync(path).isDirectory()) {
		yield path;
		return;
	}
	for (const entry of readdirSync(path, {withFileTypes: true})) yield* files(join(path, entry.name));
}

/** Why `root`'s bundle must be rebuilt (the first input newer than it, or its absence), or null when it is up to date. */
export function staleBecause(root) {
	const bundle = join(root, BUNDLE);
	if (!existsSync(bundle)) return `${BUNDLE} does not exist yet`;
	const built = statSync(bundle).mtimeMs;
	for (const input of INPUTS) {
		for (const file of files(join(root, input))) {
			if (statSync(file).mtimeMs > built) return `${relative(root, file)} changed since the last build`;
		}
	}
	return null;
}
