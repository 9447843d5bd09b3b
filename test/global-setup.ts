import {BENCH_ONLY, hasTool, installHint, REQUIRE_TOOLS, TOOLS, type Tool} from './support/tools.js';

/** Says before the run, and again after it, which tests a missing program skips (or, in CI, fails) and how to install it. */
export default function setup(): (() => void) | undefined {
	const missing = (Object.keys(TOOLS) as Tool[]).filter(t => !BENCH_ONLY.includes(t) && !hasTool(t));
	if (missing.length === 0) return undefined;
	const lines = missing.map(t => `  ${t} is not installed: ${TOOLS[t].what} ${REQUIRE_TOOLS ? 'will FAIL' : 'are SKIPPED'}.`);
	const tail = REQUIRE_TOOLS
		? '  CLIPROXY_USAGE_REQUIRE_TOOLS=1 is set (as .ci/run sets it), so they run and fail instead of skipping.'
		: '  Everything else runs. .ci/run installs them and never skips.';
	const say = () => process.stderr.write(`\n${lines.join('\n')}\n  To run them: ${installHint(missing)}\n${tail}\n\n`);
	say();
	return say;
}
