import {readAccountViews} from '../../accounts/read-accounts.js';
import type {CollectorHandle as Collector} from '../../collector/collector-group.js';
import type {CollectorStatus} from '../../collector/status.js';
import type {Config} from '../../core/config.js';
import type {EventBus} from '../../collector/event-bus.js';
import {instanceName, shownInstance} from '../../core/cpa/instance-name.js';
import {instanceNames} from '../../store/instances.js';
import {boundMetricRows} from '../../core/report/metric-models.js';
import {renderMetrics, type Family} from '../../core/report/prometheus.js';
import {quotaFamilies} from '../../core/report/quota-families.js';
import {usageFamilies} from '../../core/report/usage-families.js';
import {metricLabel} from '../../core/text/safe-text.js';
import type {Db} from '../../store/database.js';
import {GAP_CAUSES} from '../../core/cpa/gap-ledger.js';
import {readMetricTotals} from '../../store/metric-totals.js';
import {DIMENSIONS, type LimitStatus} from '../../core/limits/types.js';
import type {LimitsApi} from '../http-server.js';
import {sendText} from '../respond.js';
import type {Router} from '../router.js';
import type {SseHub} from '../sse.js';

type Deps = {config: Config; collector: Collector; bus: EventBus; db: Db; now: () => number; limits?: LimitsApi; hub: SseHub};

/** Prometheus text: every family, its HELP and TYPE, its labels and caps in docs/metrics.md. */
export function metricsRoute(router: Router, deps: Deps): void {
	const instance = deps.config.instances[0]?.name ?? instanceName(deps.config.cliproxyUrl);
	router.add('GET', '/metrics', ({res}) => {
		const s = deps.collector.status();
		// Stored tags as names: '' is the first CPA the database collected from.
		const names = instanceNames(deps.db, instance);
		// Label values are outside text: made safe, and bounded (top models and accounts, the rest "(other)").
		const {rows, folded} = boundMetricRows(readMetricTotals(deps.db).map(r => ({...r, instance: names.get(r.instance) ?? shownInstance(r.instance, instance)})));
		const accounts = readAccountViews(deps.db, deps.config.zone, 'today', deps.now(), undefined, instance);
		const families: Family[] = [
			...usageFamilies(rows, folded),
			...mergeFamilies((s.instances ?? [s]).map(one => collectorFamilies(one, metricLabel(one.instance ?? instance)))),
			{name: 'cliproxy_usage_sse_clients', help: 'Connected /api/collector/stream clients.', type: 'gauge', samples: [{value: deps.hub.size}]},
			{name: 'cliproxy_usage_events_total', help: 'Collector events emitted since start.', type: 'counter', samples: [{value: deps.bus.emitted}]},
			{name: 'cliproxy_usage_rate_limit_used_ratio', help: 'Share of each configured limit used in its current window (1 = exhausted).', type: 'gauge', samples: limitSamples(deps.limits?.list() ?? [])},
			...quotaFamilies(accounts, instance),
		];
		sendText(res, 200, renderMetrics(families), 'text/plain; version=0.0.4; charset=utf-8');
	});
}

/** The collector's own state, per CPA instance. */
function collectorFamilies(s: CollectorStatus, instance: string): Family[] {
	const labels = {instance};
	return [
		{name: 'cliproxy_usage_polls_total', help: 'Collection passes since start.', type: 'counter', samples: [{labels, value: s.pollCount}]},
		{name: 'cliproxy_usage_poll_errors_total', help: 'Collection passes that failed, since start.', type: 'counter', samples: [{labels, value: s.failedPollCount}]},
		{name: 'cliproxy_usage_last_poll_timestamp_seconds', help: 'When the last collection pass started (0: none yet).', type: 'gauge', samples: [{labels, value: (s.lastPollAt ?? 0) / 1000}]},
		{name: 'cliproxy_usage_last_success_timestamp_seconds', help: 'When the last collection pass succeeded (0: none yet).', type: 'gauge', samples: [{labels, value: (s.lastSuccessAt ?? 0) / 1000}]},
		{name: 'cliproxy_usage_collector_up', help: '1 while the last pass succeeded, 0 after a failure or when collection is stopped.', type: 'gauge', samples: [{labels, value: s.stopped || s.lastError ? 0 : 1}]},
		{name: 'cliproxy_usage_collector_stopped', help: '1 when collection stopped and needs the user (for example a rejected management key).', type: 'gauge', samples: [{labels, value: s.stopped ? 1 : 0}]},
		{name: 'cliproxy_usage_store_up', help: '1 while the database takes writes, 0 while it cannot (popping from CPA has stopped).', type: 'gauge', samples: [{labels, value: s.store && !s.store.up ? 0 : 1}]},
		{name: 'cliproxy_usage_spooled_records', help: 'Records popped from CPA that wait in the spool for the database.', type: 'gauge', samples: [{labels, value: s.store?.spooledRecords ?? 0}]},
		{name: 'cliproxy_usage_gap_requests', help: 'Requests CPA counted that never reached the collector, by cause, in the gaps still listed.', type: 'gauge', samples: gapSamples(s, instance)},
		{name: 'cliproxy_usage_usage_statistics_enabled', help: "CPA's usage-statistics-enabled (1 yes, 0 no, -1 unknown).", type: 'gauge', samples: [{labels, value: s.source.usageStatisticsEnabled === null ? -1 : s.source.usageStatisticsEnabled ? 1 : 0}]},
	];
}

/** The same families of several instances as one family each, their samples side by side. */
function mergeFamilies(parts: Family[][]): Family[] {
	const [first, ...rest] = parts;
	if (!first) return [];
	return first.map((family, i) => ({...family, samples: [...family.samples, ...rest.flatMap(p => p[i]!.samples)]}));
}

function gapSamples(s: CollectorStatus, instance: string) {
	const byCause = new Map<string, number>(GAP_CAUSES.map(c => [c, 0]));
	for (const g of s.gaps) byCause.set(g.cause, (byCause.get(g.cause) ?? 0) + g.count);
	return [...byCause].map(([cause, value]) => ({labels: {instance, cause}, value}));
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
