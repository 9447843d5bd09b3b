import type {CollectorStatus} from '../../source/collector/status.js';
import type {DashboardData, ModelRow} from '../../source/app/dashboard-data.js';
import type {GaugeView} from '../../source/ui/view-model.js';

export const NOW = Date.parse('2026-11-23T14:30:00Z');

export function status(over: Partial<CollectorStatus> = {}): CollectorStatus {
	return {
		startedAt: NOW - 3_600_000,
		lastPollAt: NOW - 12_000,
		lastSuccessAt: NOW - 12_000,
		failedPollCount: 0,
		pollCount: 42,
		pollIntervalSec: 5,
		nextPollAt: NOW + 3_000,
		consecutiveFailures: 0,
		lastError: null,
		stopped: null,
		source: {url: 'http://localhost:8317', mode: 'auto', active: 'queue', reason: 'auto: CPA 7.2.140 has the usage queue (v6.10.8+)', cpaVersion: '7.2.140', usageStatisticsEnabled: true},
		totals: {received: 412, inserted: 412, duplicates: 0, skipped: 0},
		warnings: [],
		...over,
	};
}

const model = (over: Partial<ModelRow> & {model: string}): ModelRow => ({
	provider: 'claude',
	requests: 0,
	failed: 0,
	inputTokens: 0,
	outputTokens: 0,
	reasoningTokens: 0,
	cachedTokens: 0,
	cacheReadTokens: 0,
	cacheCreationTokens: 0,
	totalTokens: 0,
	costUsd: 0,
	estimatedRequests: 0,
	share: 0,
	...over,
});

export const MODELS: ModelRow[] = [
	model({model: 'claude-sonnet-4-5-20250929', requests: 212, inputTokens: 1_204_000, outputTokens: 301_000, cacheReadTokens: 8_500_000, totalTokens: 1_505_000, costUsd: 8.1234, share: 0.658}),
	model({model: 'gpt-5-codex', provider: 'codex', requests: 151, inputTokens: 2_900_000, outputTokens: 150_000, reasoningTokens: 90_000, cachedTokens: 1_800_000, totalTokens: 3_050_000, costUsd: 3.0105, share: 0.244}),
	model({model: 'gemini-2.5-pro', provider: 'gemini', requests: 40, inputTokens: 500_000, outputTokens: 61_000, totalTokens: 561_000, costUsd: 1.2, share: 0.097}),
	model({model: 'glm-4.6', provider: 'openai-compatibility', requests: 9, inputTokens: 9_000, outputTokens: 2_000, totalTokens: 11_000, costUsd: 0.0017, estimatedRequests: 9, share: 0.001}),
];

export function snapshot(over: Partial<DashboardData> = {}): DashboardData {
	return {
		at: NOW,
		today: {date: '2026-11-23', requests: 412, failed: 7, tokens: 5_127_000, cost_usd: 12.3356, estimated_requests: 9, success_rate: 405 / 412},
		vsYesterday: {costChange: 0.12, yesterdayCostSoFar: 11.01, yesterdayCost: 19.87},
		burnPerHour: 1.2,
		projectedEndOfDay: 23.14,
		period: 'today',
		models: MODELS,
		periodTotals: {requests: 412, tokens: 5_127_000, costUsd: 12.3356, estimatedRequests: 9},
		hourlyCost: [0, 0, 0.1, 0.3, 0.2, 0, 0, 0, 0.5, 1.1, 1.4, 0.9, 1.2, 0.8, 0.6, 0.7, 1.3, 1.6, 1.0, 0.4, 0.2, 0, 0, 0.35],
		gauges: [],
		...over,
	};
}

export const GAUGES: GaugeView[] = [
	{id: 1, title: 'Claude Max 5h', ratio: 0.71, label: '568k / 800k tokens', resetsAt: NOW + 2 * 3_600_000 + 13 * 60_000, exhaustsAt: NOW + 65 * 60_000, exhausted: false, estimated: false},
	{id: 2, title: 'Codex weekly', ratio: 0.34, label: '3.4M / 10M tokens', resetsAt: NOW + 4 * 86_400_000, exhaustsAt: null, exhausted: false, estimated: false},
	{id: 3, title: 'Gemini daily $', ratio: 0.93, label: '$9.30 / $10.00', resetsAt: NOW + 9.5 * 3_600_000, exhaustsAt: NOW + 20 * 60_000, exhausted: false, estimated: true},
];
