import type {CollectorStatus} from '../../source/collector/status.js';
import type {DashboardData, ModelRow} from '../../source/app/dashboard-data.js';
import type {AccountView} from '../../source/core/quota/account-view.js';
import type {WindowView} from '../../source/core/quota/window-view.js';
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
		store: null,
		queueRetention: null,
		gaps: [],
		...over,
	};
}

const model = (over: Partial<ModelRow> & {model: string}): ModelRow => ({
	provider: 'claude',
	tier: '',
	requests: 0,
	failed: 0,
	rateLimited: 0,
	cancelled: 0,
	inputTokens: 0,
	cacheReadTokens: 0,
	cacheWriteTokens: 0,
	outputTokens: 0,
	reasoningTokens: 0,
	totalTokens: 0,
	costUsd: 0,
	estimatedRequests: 0,
	share: 0,
	...over,
});

export const MODELS: ModelRow[] = [
	model({model: 'claude-sonnet-4-5-20250929', requests: 212, inputTokens: 1_204_000, outputTokens: 301_000, cacheReadTokens: 8_500_000, cacheWriteTokens: 420_000, totalTokens: 1_505_000, costUsd: 8.1234, share: 0.658}),
	model({model: 'gpt-5-codex', provider: 'codex', requests: 151, inputTokens: 1_100_000, outputTokens: 240_000, reasoningTokens: 90_000, cacheReadTokens: 1_800_000, totalTokens: 3_140_000, costUsd: 3.0105, share: 0.244}),
	model({model: 'gemini-2.5-pro', provider: 'gemini', requests: 40, inputTokens: 500_000, outputTokens: 61_000, totalTokens: 561_000, costUsd: 1.2, share: 0.097}),
	model({model: 'glm-4.6', provider: 'openai-compatibility', requests: 9, inputTokens: 9_000, outputTokens: 2_000, totalTokens: 11_000, costUsd: 0.0017, estimatedRequests: 9, share: 0.001}),
];

export function snapshot(over: Partial<DashboardData> = {}): DashboardData {
	return {
		at: NOW,
		today: {date: '2026-11-23', requests: 412, failed: 7, rate_limited: 2, cancelled: 1, tokens: 5_127_000, cost_usd: 12.3356, estimated_requests: 9, success_rate: 405 / 412},
		vsYesterday: {costChange: 0.12, yesterdayCostSoFar: 11.01, yesterdayCost: 19.87},
		burnPerHour: 1.2,
		projectedEndOfDay: 23.14,
		period: 'today',
		models: MODELS,
		periodTotals: {requests: 412, tokens: 5_127_000, costUsd: 12.3356, estimatedRequests: 9},
		hourlyCost: [0, 0, 0.1, 0.3, 0.2, 0, 0, 0, 0.5, 1.1, 1.4, 0.9, 1.2, 0.8, 0.6, 0.7, 1.3, 1.6, 1.0, 0.4, 0.2, 0, 0, 0.35],
		lastHour: 14,
		gauges: [],
		accounts: [],
		...over,
	};
}

const win = (id: string, label: string, usedPercent: number, resetInMs: number | null, over: Partial<WindowView> = {}): WindowView => ({
	id,
	label,
	usedPercent,
	resetsAt: resetInMs === null ? null : NOW + resetInMs,
	status: usedPercent >= 100 ? 'rejected' : usedPercent >= 75 ? 'warning' : 'allowed',
	source: 'headers',
	observedAt: NOW - 180_000,
	ageMs: 180_000,
	ratePerHour: null,
	projectedExhaustionAt: null,
	...over,
});

const account = (over: Partial<AccountView> & {authIndex: string; label: string}): AccountView => ({
	provider: 'claude',
	plan: null,
	accountType: 'oauth',
	state: 'active',
	cooldownUntil: null,
	reason: null,
	modelCooldowns: [],
	lastRequestAt: NOW - 60_000,
	usage: {requests: 0, failed: 0, rateLimited: 0, cancelled: 0, tokens: 0, costUsd: 0, estimatedRequests: 0},
	quotas: [],
	...over,
});

/** Five credentials, worst first as accountViews orders them. */
export const ACCOUNTS: AccountView[] = [
	account({authIndex: 'c0c0c0c0c0c0c0c0', label: 'carol@example.com', plan: 'pro', state: 'cooling_down', cooldownUntil: NOW + 72 * 60_000, reason: 'rate limited (429)', usage: {requests: 88, failed: 7, rateLimited: 5, cancelled: 0, tokens: 2_100_000, costUsd: 4.2, estimatedRequests: 0}, quotas: [win('5h', '5h', 113, 72 * 60_000), win('7d', 'weekly', 64, 3 * 86_400_000)]}),
	account({authIndex: 'a1a1a1a1a1a1a1a1', label: 'alice@example.com', plan: 'max', usage: {requests: 212, failed: 1, rateLimited: 0, cancelled: 0, tokens: 1_505_000, costUsd: 8.1234, estimatedRequests: 0}, quotas: [win('5h', '5h', 85, 2 * 3_600_000 + 13 * 60_000, {ratePerHour: 12, projectedExhaustionAt: NOW + 75 * 60_000}), win('7d', 'weekly', 31, 4 * 86_400_000), win('7d_sonnet', 'weekly Sonnet', 7, 4 * 86_400_000)]}),
	account({authIndex: 'b2b2b2b2b2b2b2b2', label: 'codex-bob', provider: 'codex', plan: 'pro', usage: {requests: 151, failed: 0, rateLimited: 0, cancelled: 0, tokens: 3_050_000, costUsd: 3.0105, estimatedRequests: 0}, quotas: [win('5h', '5h', 40, 3 * 3_600_000), win('7d', 'weekly', 22, 5 * 86_400_000), win('bengalfox:5h', 'Spark 5h', 0, 5 * 3_600_000)]}),
	account({authIndex: 'd3d3d3d3d3d3d3d3', label: 'Team console key', accountType: 'api_key', usage: {requests: 9, failed: 0, rateLimited: 0, cancelled: 0, tokens: 11_000, costUsd: 0.0017, estimatedRequests: 9}, quotas: [win('api_tokens', 'API tokens', 18, 30_000, {source: 'headers'})]}),
	account({authIndex: 'e4e4e4e4e4e4e4e4', label: 'dave@example.com', provider: 'gemini', usage: {requests: 40, failed: 0, rateLimited: 0, cancelled: 0, tokens: 561_000, costUsd: 1.2, estimatedRequests: 0}}),
];

export const GAUGES: GaugeView[] = [
	{key: 'limit:1', kind: 'yours', title: 'Claude Max 5h', ratio: 0.71, label: '568k / 800k tokens', resetsAt: NOW + 2 * 3_600_000 + 13 * 60_000, exhaustsAt: NOW + 65 * 60_000, exhausted: false, estimated: false},
	{key: 'limit:2', kind: 'yours', title: 'Codex weekly', ratio: 0.34, label: '3.4M / 10M tokens', resetsAt: NOW + 4 * 86_400_000, exhaustsAt: null, exhausted: false, estimated: false},
	{key: 'limit:3', kind: 'yours', title: 'Gemini daily $', ratio: 0.93, label: '$9.30 / $10.00', resetsAt: NOW + 9.5 * 3_600_000, exhaustsAt: NOW + 20 * 60_000, exhausted: false, estimated: true},
];
