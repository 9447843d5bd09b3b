import {readAccountViews} from '../../accounts/read-accounts.js';
import type {Collector} from '../../collector/collector.js';
import type {Config} from '../../core/config.js';
import type {AccountView} from '../../core/quota/account-view.js';
import type {EventBus} from '../../collector/event-bus.js';
import {topMetricModels} from '../../core/report/metric-models.js';
import {renderMetrics, type Family} from '../../core/report/prometheus.js';
import {metricLabel} from '../../core/text/safe-text.js';
import type {Db} from '../../store/database.js';
import {DIMENSIONS, type LimitStatus} from '../../core/limits/types.js';
import type {LimitsApi} from '../http-server.js';
import {sendText} from '../respond.js';
import type {Router} from '../router.js';
import type {SseHub} from '../sse.js';

type Deps = {config: Config; collector: Collector; bus: EventBus; db: Db; now: () => number; limits?: LimitsApi; hub: SseHub};

type ModelRow = {provider: string; model: string; requests: number; failed: number; rate_limited: number; cancelled: number; input: number; cache_read: number; cache_write: number; output: number; reasoning: number; cost: number; estimated: number};


export function metricsRoute(router: Router, deps: Deps): void {
	const totals = deps.db.prepare<[], ModelRow>(`
		SELECT s.provider, s.model, sum(u.requests) requests, sum(u.failed) failed, sum(u.rate_limited) rate_limited, sum(u.cancelled) cancelled,
			sum(u.input) input, sum(u.cache_read) cache_read, sum(u.cache_write) cache_write, sum(u.output) output, sum(u.reasoning) reasoning,
			sum(u.cost) cost, sum(u.estimated) estimated
		FROM usage_1d u JOIN series s ON s.id = u.series_id GROUP BY 1, 2 ORDER BY 1, 2`);

	router.add('GET', '/metrics', ({res}) => {
		const s = deps.collector.status();
		// Label values are outside text: made safe, and at most METRIC_MODELS pairs plus "(other)".
		const rows = topMetricModels(totals.all());
		const accounts = readAccountViews(deps.db, deps.config.zone, 'today', deps.now());
		const m = (r: ModelRow) => ({provider: r.provider, model: r.model});
		const tokenTypes: Array<[string, keyof ModelRow]> = [
			['input', 'input'],
			['cache_read', 'cache_read'],
			['cache_write', 'cache_write'],
			['output', 'output'],
			['reasoning', 'reasoning'],
		];
		const families: Family[] = [
			{
				name: 'cliproxy_usage_requests_total',
				help: 'Requests collected from CLIProxyAPI, by provider, model and outcome (failed: the upstream failed; rate_limited: 429; cancelled: 499 or 504).',
				type: 'counter',
				samples: rows.flatMap(r => [
					{labels: {...m(r), outcome: 'success'}, value: r.requests - r.failed},
					{labels: {...m(r), outcome: 'failed'}, value: r.failed - r.rate_limited - r.cancelled},
					{labels: {...m(r), outcome: 'rate_limited'}, value: r.rate_limited},
					{labels: {...m(r), outcome: 'cancelled'}, value: r.cancelled},
				]),
			},
			{
				name: 'cliproxy_usage_tokens_total',
				help: 'Tokens by provider, model and type: input (uncached), cache_read, cache_write, output (reasoning included), reasoning (of which); docs/reports.md.',
				type: 'counter',
				samples: rows.flatMap(r => tokenTypes.map(([type, key]) => ({labels: {...m(r), type}, value: r[key] as number}))),
			},
			{name: 'cliproxy_usage_cost_usd_total', help: 'Cost in US dollars, priced at collection time, by provider and model.', type: 'counter', samples: rows.map(r => ({labels: m(r), value: Math.round(r.cost * 1e6) / 1e6}))},
			{name: 'cliproxy_usage_estimated_requests_total', help: 'Requests whose cost is an estimate (docs/pricing.md).', type: 'counter', samples: rows.map(r => ({labels: m(r), value: r.estimated}))},
			{name: 'cliproxy_usage_polls_total', help: 'Collection passes since start.', type: 'counter', samples: [{value: s.pollCount}]},
			{name: 'cliproxy_usage_poll_errors_total', help: 'Collection passes that failed, since start.', type: 'counter', samples: [{value: s.failedPollCount}]},
			{name: 'cliproxy_usage_last_poll_timestamp_seconds', help: 'When the last collection pass started (0: none yet).', type: 'gauge', samples: [{value: (s.lastPollAt ?? 0) / 1000}]},
			{name: 'cliproxy_usage_last_success_timestamp_seconds', help: 'When the last collection pass succeeded (0: none yet).', type: 'gauge', samples: [{value: (s.lastSuccessAt ?? 0) / 1000}]},
			{name: 'cliproxy_usage_collector_up', help: '1 while the last pass succeeded, 0 after a failure or when collection is stopped.', type: 'gauge', samples: [{value: s.stopped || s.lastError ? 0 : 1}]},
			{name: 'cliproxy_usage_collector_stopped', help: '1 when collection stopped and needs the user (for example a rejected management key).', type: 'gauge', samples: [{value: s.stopped ? 1 : 0}]},
			{name: 'cliproxy_usage_usage_statistics_enabled', help: "CPA's usage-statistics-enabled (1 yes, 0 no, -1 unknown).", type: 'gauge', samples: [{value: s.source.usageStatisticsEnabled === null ? -1 : s.source.usageStatisticsEnabled ? 1 : 0}]},
			{name: 'cliproxy_usage_sse_clients', help: 'Connected /api/collector/stream clients.', type: 'gauge', samples: [{value: deps.hub.size}]},
			{name: 'cliproxy_usage_events_total', help: 'Collector events emitted since start.', type: 'counter', samples: [{value: deps.bus.emitted}]},
			{name: 'cliproxy_usage_rate_limit_used_ratio', help: 'Share of each configured limit used in its current window (1 = exhausted).', type: 'gauge', samples: limitSamples(deps.limits?.list() ?? [])},
			...quotaFamilies(accounts),
		];
		sendText(res, 200, renderMetrics(families), 'text/plain; version=0.0.4; charset=utf-8');
	});
}

function limitSamples(statuses: unknown[]) {
	return (statuses as LimitStatus[]).flatMap(status =>
		DIMENSIONS.flatMap(dimension => {
			const d = status[dimension];
			if (!d || d.limit <= 0) return [];
			const c = status.config;
			return [{labels: {config_id: String(c.id), provider: metricLabel(c.provider), tier: metricLabel(c.tier_name), pattern: metricLabel(c.model_pattern), dimension}, value: d.used / d.limit}];
		}),
	);
}

/** The providers' own windows per account (labelled by the account's name, never a key), and who is cooling down. */
function quotaFamilies(accounts: readonly AccountView[]): Family[] {
	const who = (a: AccountView) => ({account: metricLabel(a.label), provider: metricLabel(a.provider ?? '')});
	const windows = accounts.flatMap(a => a.quotas.map(q => ({labels: {...who(a), window: metricLabel(q.id)}, q})));
	return [
		{
			name: 'cliproxy_usage_quota_used_ratio',
			help: "Share of a provider's own quota window used, per account (1 = exhausted; may pass 1 in overage; 0 after the reset until a new observation).",
			type: 'gauge',
			samples: windows.map(({labels, q}) => ({labels, value: q.usedPercent / 100})),
		},
		{
			name: 'cliproxy_usage_quota_resets_at_seconds',
			help: "When a provider's quota window resets, per account (Unix time; absent while unknown).",
			type: 'gauge',
			samples: windows.filter(({q}) => q.resetsAt !== null).map(({labels, q}) => ({labels, value: Math.round(q.resetsAt! / 1000)})),
		},
		{
			name: 'cliproxy_usage_quota_observed_timestamp_seconds',
			help: 'When a quota window was last observed (response headers, the quota endpoint or CPA errors).',
			type: 'gauge',
			samples: windows.map(({labels, q}) => ({labels: {...labels, source: q.source}, value: Math.round(q.observedAt / 1000)})),
		},
		{
			name: 'cliproxy_usage_account_cooling_down',
			help: 'Whether CPA is keeping an account out of rotation (cooling down after a limit), per account.',
			type: 'gauge',
			samples: accounts.map(a => ({labels: who(a), value: a.state === 'cooling_down' ? 1 : 0})),
		},
	];
}
