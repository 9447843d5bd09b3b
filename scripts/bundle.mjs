// Bundles the compiled CLI (dist/) into dist/bundle/: one file per entry point plus shared
// chunks, so starting the dashboard reads a few files instead of several hundred modules.
// Dynamic imports stay separate chunks: --headless and the commands never load Ink.
import {rmSync} from 'node:fs';
import {resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';

// Chunk names carry content hashes: clear old ones rather than let them pile up.
rmSync('dist/bundle', {recursive: true, force: true});

await build({
	entryPoints: {cli: 'dist/cli.js', 'commands/headless': 'dist/commands/headless.js'},
	outdir: 'dist/bundle',
	chunkNames: 'chunks/[name]-[hash]',
	bundle: true,
	splitting: true,
	format: 'esm',
	platform: 'node',
	target: 'node20',
	// A native addon: it must be loaded from node_modules.
	external: ['better-sqlite3'],
	// React chooses its build from NODE_ENV; fixing it here drops the development build.
	define: {'process.env.NODE_ENV': '"production"'},
	// CommonJS dependencies call require() for Node built-ins.
	banner: {js: "import {createRequire as __bundleRequire} from 'node:module'; const require = __bundleRequire(import.meta.url);"},
	plugins: [
		{
			// Ink imports react-devtools-core only when DEV=true; it is not a dependency.
			name: 'no-devtools',
			setup(b) {
				b.onResolve({filter: /^react-devtools-core$/}, () => ({path: 'react-devtools-core', namespace: 'stub'}));
				b.onLoad({filter: /.*/, namespace: 'stub'}, () => ({contents: 'export default {connectToDevTools() {}};', loader: 'js'}));
			},
		},
		{
			// Every string-width (each importer keeps its own version) answers plain narrow text
			// itself first: see dist/ui/narrow-width.js.
			name: 'narrow-string-width',
			setup(b) {
				b.onResolve({filter: /^string-width$/}, async args => {
					if (args.pluginData?.real) return undefined;
					const real = await b.resolve('string-width', {resolveDir: args.resolveDir, kind: args.kind, pluginData: {real: true}});
					return real.errors.length > 0 ? {errors: real.errors} : {path: real.path, namespace: 'narrow-width'};
				});
				b.onLoad({filter: /.*/, namespace: 'narrow-width'}, args => ({
					contents: [
						`import stringWidth from ${JSON.stringify(args.path)};`,
						`import {narrowWidth} from ${JSON.stringify(resolve('dist/ui/narrow-width.js'))};`,
						'export default (text, options) => narrowWidth(text, options) ?? stringWidth(text, options);',
					].join('\n'),
					loader: 'js',
					resolveDir: process.cwd(),
				}));
			},
		},
		{
			// Ink's text to styled characters and back, char by char for plain narrow text: see dist/ui/fast-tokenize.js.
			name: 'narrow-ansi-tokenize',
			setup(b) {
				const fast = resolve('dist/ui/fast-tokenize.js');
				b.onResolve({filter: /^@alcalzone\/ansi-tokenize$/}, async args => {
					if (args.pluginData?.real || args.importer === fast) return undefined;
					const real = await b.resolve('@alcalzone/ansi-tokenize', {resolveDir: args.resolveDir, kind: args.kind, pluginData: {real: true}});
					return real.errors.length > 0 ? {errors: real.errors} : {path: real.path, namespace: 'narrow-ansi-tokenize'};
				});
				b.onLoad({filter: /.*/, namespace: 'narrow-ansi-tokenize'}, args => ({
					contents: [`export * from ${JSON.stringify(args.path)};`, `export {tokenize, styledCharsToString} from ${JSON.stringify(fast)};`].join('\n'),
					loader: 'js',
					resolveDir: process.cwd(),
				}));
			},
		},
		{
			// Ink's layout engine, loaded without the fetch() that costs start-up ~50 ms (see the file).
			name: 'yoga-without-fetch',
			setup(b) {
				b.onResolve({filter: /^yoga-layout$/}, () => ({path: fileURLToPath(new URL('yoga-entry.mjs', import.meta.url))}));
			},
		},
	],
	logLevel: 'warning',
});
