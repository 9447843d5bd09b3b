import {execFileSync, spawnSync} from 'node:child_process';

/**
 * Programs some tests need besides Node: a real redis-server (the RESP tests), promtool
 * (Prometheus's strict parser for /metrics) and tmux (the dashboard end to end). On a machine
 * without one, its tests are skipped, saying why and how to install it; `.ci/run` installs them
 * all and sets CLIPROXY_USAGE_REQUIRE_TOOLS=1, which turns such a skip into a failure.
 */
export const TOOLS = {
	'redis-server': {binary: process.env['REDIS_SERVER'] ?? 'redis-server', versionFlag: '--version', apt: 'redis-server', what: 'the RESP tests against a real redis-server'},
	promtool: {binary: 'promtool', versionFlag: '--version', apt: 'prometheus', what: 'the /metrics checks with promtool'},
	tmux: {binary: 'tmux', versionFlag: '-V', apt: 'tmux', what: 'the dashboard tests in a real terminal'},
	wrk: {binary: 'wrk', versionFlag: '--version', apt: 'wrk', what: 'the status throughput bench'},
} as const;

export type Tool = keyof typeof TOOLS;

/** Tools only `npm run bench` uses: no test needs them, so a test run does not ask for them. */
export const BENCH_ONLY: readonly Tool[] = ['wrk'];

export const REQUIRE_TOOLS = process.env['CLIPROXY_USAGE_REQUIRE_TOOLS'] === '1';

const found = new Map<Tool, boolean>();

export function hasTool(tool: Tool): boolean {
	if (!found.has(tool)) found.set(tool, !spawnSync(TOOLS[tool].binary, [TOOLS[tool].versionFlag], {stdio: 'ignore'}).error);
	return found.get(tool)!;
}

export function installHint(tools: readonly Tool[]): string {
	return `apt-get install ${[...new Set(tools.map(t => TOOLS[t].apt))].join(' ')}`;
}

/**
 * For `describe.skipIf` / `it.skipIf`: true when `tool` is missing and may be skipped. The
 * title to give the skipped block comes from `titled`.
 */
export function skipWithout(tool: Tool): boolean {
	return !hasTool(tool) && !REQUIRE_TOOLS;
}

/** The block's title, saying why it is skipped when it is. */
export function titled(title: string, tool: Tool): string {
	return skipWithout(tool) ? `${title} [skipped: ${tool} is not installed; ${installHint([tool])}]` : title;
}

/** `promtool check metrics` on the text: its complaints, '' when it accepts it. */
export function promtoolCheck(text: string): string {
	if (!hasTool('promtool')) throw new Error(`promtool not found: install it (${installHint(['promtool'])}) to check /metrics`);
	return execFileSync(TOOLS.promtool.binary, ['check', 'metrics'], {input: text, encoding: 'utf8'});
}
