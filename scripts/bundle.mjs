// Bundles the compiled CLI (dist/) into dist/bundle/: one file per entry point plus shared
// chunks, so starting the dashboard reads a few files instead of several hundred modules.
// Dynamic imports stay separate chunks: --headless and the commands never load Ink.
import {rmSync} from 'node:fs';
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
	],
	logLevel: 'warning',
});
