import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {v7Record} from '../support/fixtures.js';
import {startStandIn} from '../support/harness.js';
import {startHeadless, waitFor} from '../support/headless-process.js';
import {runCli} from '../support/spawn-cli.js';
import {tempDir} from '../support/temp.js';
import {skipWithout, titled} from '../support/tools.js';

const ROOT = join(import.meta.dirname, '..', '..');
const PROM = join(ROOT, 'contrib', 'prometheus');
const DASHBOARD = join(ROOT, 'contrib', 'grafana', 'cliproxy-usage.json');

// PromQL words that are not metric names; Prometheus's own `up` is what a scrape records.
const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan', 'up']);

/** The metric names a PromQL expression selects: strings, label matchers, ranges and grouping lists removed, functions dropped. */
export function metricNames(expr: string): string[] {
	const bare = expr
		.replace(/"(?:[^"\\]|\\.)*"/g, '""')
		.replace(/\{[^}]*\}/g, ' ')
		.replace(/\[[^\]]*\]/g, ' ')
		.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
		.replace(/\$\w+/g, ' ');
	const names = new Set<string>();
	for (const m of bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
		const end = (m.index ?? 0) + m[0].length;
		if (/^\s*\(/.test(bare.slice(end)) || /[0-9.]$/.test(bare.slice(0, m.index)) || KEYWORDS.has(m[0])) continue;
		names.add(m[0]);
	}
	return [...names];
}

/** Every PromQL expression of the dashboard: panel targets and template variable queries. */
function dashboardExprs(): string[] {
	const d = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {panels: Array<{targets: Array<{expr: string}>}>; templating: {list: Array<{type: string; query: unknown}>}};
	const exprs = d.panels.flatMap(p => p.targets.map(t => t.expr));
	for (const v of d.templating.list) {
		if (v.type !== 'query') continue;
		const q = typeof v.query === 'string' ? v.query : (v.query as {query: string}).query;
		exprs.push(q.replace(/^label_values\(([^,]+),.*\)$/, '$1'));
	}
	return exprs;
}

function ruleExprs(): {exprs: string[]; recorded: string[]} {
	const text = readFileSync(join(PROM, 'cliproxy-usage.rules.yml'), 'utf8');
	return {exprs: [...text.matchAll(/^\s+expr: (.+)$/gm)].map(m => m[1]!), recorded: [...text.matchAll(/^\s+- record: (\S+)$/gm)].map(m => m[1]!)};
}

describe('contrib: the Prometheus rules and the Grafana dashboard', () => {
	it('the name extractor finds names and skips functions, labels and keywords', () => {
		expect(metricNames('sum by (provider, model) (rate(cliproxy_usage_cost_usd_total{instance=~"$instance",model!="x"}[$__rate_interval])) * 3600')).toEqual(['cliproxy_usage_cost_usd_total']);
		expect(metricNames('max by (a) (x_ratio) - time() >= 0.9 and on (a) up{job="j"} == 0')).toEqual(['x_ratio']);
	});

	it.skipIf(skipWithout('promtool'))(titled('promtool accepts the config, the rules, and the rules tests pass', 'promtool'), () => {
		expect(execFileSync('promtool', ['check', 'config', join(PROM, 'prometheus.yml')], {encoding: 'utf8'})).toContain('SUCCESS');
		expect(execFileSync('promtool', ['check', 'rules', join(PROM, 'cliproxy-usage.rules.yml')], {encoding: 'utf8'})).toContain('SUCCESS: 11 rules found');
		expect(execFileSync('promtool', ['test', 'rules', join(PROM, 'cliproxy-usage.rules.test.yml')], {encoding: 'utf8'})).toContain('SUCCESS');
	});

	it('every metric the dashboard and the rules query is one a real /metrics serves on a seeded database', async () => {
		const dir = tempDir();
		const dbPath = join(dir, 'collector.db');
		const add = await runCli(['limits', 'add', '--provider', 'Anthropic', '--tier', 'Pro', '--pattern', 'claude', '--strategy', 'daily', '--tokens', '100000'], {DB_PATH: dbPath, TIMEZONE: 'UTC'}, dir);
		expect(add.code, add.stderr).toBe(0);
		const cpa = await startStandIn({generation: 'v7'});
		cpa.listServed = false;
		cpa.accounts = [{auth_index: 'aaaa111122223333', provider: 'claude', email: 'alice@example.com', account_type: 'oauth'}];
		const h = await startHeadless({CLIPROXY_URL: cpa.url, CLIPROXY_MANAGEMENT_KEY: 'test-management-key', DB_PATH: dbPath, COLLECTOR_SOURCE: 'queue', COLLECTOR_QUEUE_INTERVAL_SECONDS: '1', QUOTA_POLL_MINUTES: '0', PRICES_AUTO_UPDATE: 'false'});
		cpa.enqueue(v7Record({at: Date.now() - 2000, provider: 'claude', authIndex: 'aaaa111122223333'}), v7Record({at: Date.now() - 1000, provider: 'codex', model: 'gpt-5-codex', authIndex: 'bbbb111122223333'}));
		const metrics = async () => (await fetch(`${h.url}/metrics`)).text();
		await waitFor(async () => (await metrics()).includes('cliproxy_usage_quota_used_ratio{'), 15_000, 'records and quota windows stored');
		const text = await metrics();
		const served = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map(m => m[1]!));
		// Every family served has samples on this database, so a dashboard panel would show something.
		for (const name of served) expect(text, name).toMatch(new RegExp(`^${name}(\\{| )`, 'm'));

		const fromDashboard = dashboardExprs().flatMap(metricNames);
		expect(new Set(fromDashboard)).toEqual(new Set(['cliproxy_usage_cost_usd_total', 'cliproxy_usage_requests_total', 'cliproxy_usage_tokens_total', 'cliproxy_usage_collector_up', 'cliproxy_usage_quota_used_ratio', 'cliproxy_usage_quota_resets_at_seconds', 'cliproxy_usage_rate_limit_used_ratio']));
		for (const name of fromDashboard) expect(served, `dashboard: ${name}`).toContain(name);

		const {exprs, recorded} = ruleExprs();
		expect(recorded.length).toBe(8);
		for (const name of exprs.flatMap(metricNames)) expect(recorded.includes(name) || served.has(name), `rules: ${name}`).toBe(true);
		expect(exprs.flatMap(metricNames)).toContain('cliproxy_usage_cost_usd_total');
	});
});
