import {readQueueRecord} from '../../source/core/cpa/queue-record.js';
import type {UsageRecord} from '../../source/core/cpa/usage-record.js';
import type {V6Detail} from './cpa-stand-in.js';

/**
 * Go's `time.RFC3339Nano` (trailing zeros of the fraction trimmed, no dot when it is zero)
 * in the given offset, as CPA serialises `time.Time`.
 */
export function goTime(ms: number, extraNanos = 0, offsetMinutes = 0): string {
	const local = new Date(ms + offsetMinutes * 60_000);
	const pad = (n: number, w = 2) => String(n).padStart(w, '0');
	const nanos = (((ms % 1000) + 1000) % 1000) * 1e6 + extraNanos;
	const fraction = nanos === 0 ? '' : `.${String(nanos).padStart(9, '0').replace(/0+$/, '')}`;
	const zone =
		offsetMinutes === 0 ? 'Z' : `${offsetMinutes < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offsetMinutes) / 60))}:${pad(Math.abs(offsetMinutes) % 60)}`;
	return (
		`${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
		`T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}${fraction}${zone}`
	);
}

export type V7Version = '6.10.8' | '7.0.0' | '7.0.3' | '7.1.24' | '7.2.97' | '7.2.140';

export type RecordSpec = {
	at: number;
	nanos?: number;
	offsetMinutes?: number;
	model?: string;
	alias?: string;
	provider?: string;
	endpoint?: string;
	apiKey?: string;
	source?: string;
	authIndex?: string;
	requestId?: string;
	failed?: boolean;
	input?: number;
	output?: number;
	reasoning?: number;
	cached?: number;
	cacheRead?: number;
	cacheCreation?: number;
	latencyMs?: number;
	/** The upstream status in `fail` (default 429 when failed, else 200). */
	statusCode?: number;
	/** `fail.body` (default a short rate-limit error when failed). */
	failBody?: string;
	/** `response_headers` on v7.2.140 records (default a realistic set for the provider). */
	headers?: Record<string, string[] | string>;
	authType?: string;
	/** v7.2.140's `executor_type` (default CPA's executor for the provider). */
	executorType?: string;
	/** v7.2.140's `service_tier` (default ''). */
	serviceTier?: string;
};

let sequence = 0;

/** A queue record with exactly the fields CPA `version` emits (reference §3.1). */
export function v7Record(spec: RecordSpec, version: V7Version = '7.2.140'): Record<string, unknown> {
	const at = (v: V7Version) => ['6.10.8', '7.0.0', '7.0.3', '7.1.24', '7.2.97', '7.2.140'].indexOf(version) >= ['6.10.8', '7.0.0', '7.0.3', '7.1.24', '7.2.97', '7.2.140'].indexOf(v);
	const input = spec.input ?? 1000;
	const output = spec.output ?? 200;
	const reasoning = spec.reasoning ?? 0;
	const cached = spec.cached ?? spec.cacheRead ?? 0;
	const tokens: Record<string, unknown> = {
		input_tokens: input,
		output_tokens: output,
		reasoning_tokens: reasoning,
		cached_tokens: cached,
		total_tokens: input + output,
	};
	if (at('7.0.3')) {
		tokens['cache_read_tokens'] = spec.cacheRead ?? 0;
		tokens['cache_read_tokens_present'] = spec.cacheRead !== undefined;
		tokens['cache_creation_tokens'] = spec.cacheCreation ?? 0;
	}
	const record: Record<string, unknown> = {
		timestamp: goTime(spec.at, spec.nanos ?? 0, spec.offsetMinutes ?? 0),
		latency_ms: spec.latencyMs ?? 1234,
		source: spec.source ?? 'user@example.com',
		auth_index: spec.authIndex ?? 'a1b2c3d4e5f67890',
		tokens,
		failed: spec.failed ?? false,
		provider: spec.provider ?? 'claude',
		model: spec.model ?? 'claude-sonnet-4-5-20250929',
		alias: spec.alias ?? spec.model ?? 'claude-sonnet-4-5',
		endpoint: spec.endpoint ?? 'POST /v1/messages',
		auth_type: spec.authType ?? 'oauth',
		api_key: spec.apiKey ?? 'sk-client-0123456789abcdef',
		request_id: spec.requestId ?? (sequence++ % 0xffffffff).toString(16).padStart(8, '0'),
	};
	if (at('7.0.0')) record['fail'] = {status_code: spec.statusCode ?? (spec.failed ? 429 : 200), body: spec.failBody ?? (spec.failed ? '{"error":"rate limited"}' : '')};
	if (at('7.1.24')) record['ttft_ms'] = 321;
	if (at('7.2.97')) {
		// CPA's own split (sdk/cliproxy/usage/accounting.go): Claude's input_tokens leave the cache
		// out, every other family's include the cache read (the `cached` tokens when no read is given).
		const read = spec.cacheRead ?? 0;
		const write = spec.cacheCreation ?? 0;
		const claude = fixtureFamily(record['provider'] as string) === 'claude';
		const uncached = claude ? input : Math.max(0, input - (spec.cacheRead ?? cached) - write);
		const cacheRead = claude ? read : (spec.cacheRead ?? cached);
		record['accounting_version'] = 2;
		record['token_breakdown'] = {
			schema_version: 2,
			quality: 'complete',
			total_tokens: uncached + cacheRead + write + output,
			input: {total_tokens: uncached + cacheRead + write, uncached_tokens: uncached, cache_read_tokens: cacheRead, cache_write_tokens: write},
			output: {total_tokens: output, non_reasoning_tokens: output - reasoning, reasoning_tokens: reasoning},
			unclassified_tokens: 0,
		};
	}
	if (version === '7.2.140') {
		Object.assign(record, {
			executor_type: spec.executorType ?? executorFor(record['provider'] as string),
			client_ip: '127.0.0.1',
			x_forwarded_for: '',
			user_agent: 'claude-cli/2.0',
			generate: true,
			reasoning_effort: '',
			service_tier: spec.serviceTier ?? '',
			response_headers: spec.headers ?? upstreamHeaders(record['provider'] as string, spec.at),
		});
	}
	return record;
}

/** CPA's executor for a provider, as v7.2.140 names it in `executor_type`. */
function executorFor(provider: string): string {
	const known: Record<string, string> = {claude: 'ClaudeExecutor', codex: 'CodexExecutor', gemini: 'GeminiExecutor', 'gemini-cli': 'GeminiCLIExecutor', aistudio: 'AIStudioExecutor', vertex: 'GeminiVertexExecutor', antigravity: 'AntigravityExecutor', 'openai-compatibility': 'OpenAICompatExecutor', qwen: 'QwenExecutor', iflow: 'IFlowExecutor'};
	return Object.hasOwn(known, provider) ? known[provider]! : 'OpenAICompatExecutor';
}

/** How the fixture fills a token_breakdown: by the family that served the request (as CPA does). */
function fixtureFamily(provider: string): 'claude' | 'gemini' | 'openai' {
	if (provider === 'claude') return 'claude';
	if (['gemini', 'gemini-cli', 'aistudio', 'vertex', 'antigravity'].includes(provider)) return 'gemini';
	return 'openai';
}

/** A v6 detail as CPA records it; the stand-in drops fields the configured version lacks. */
export function v6Detail(spec: RecordSpec): V6Detail {
	const input = spec.input ?? 1000;
	const output = spec.output ?? 200;
	const reasoning = spec.reasoning ?? 0;
	return {
		timestamp: goTime(spec.at, spec.nanos ?? 0, spec.offsetMinutes ?? 0),
		latency_ms: spec.latencyMs ?? 800,
		source: spec.source ?? 'user@example.com',
		auth_index: spec.authIndex ?? 'a1b2c3d4e5f67890',
		tokens: {input_tokens: input, output_tokens: output, reasoning_tokens: reasoning, cached_tokens: spec.cached ?? 0, total_tokens: input + output + reasoning},
		failed: spec.failed ?? false,
	};
}

/**
 * What CPA copies into `response_headers` (the whole upstream header set, as Go's
 * http.Header): realistic sets per provider, so benches parse records of real size.
 */
export function upstreamHeaders(provider: string, at: number): Record<string, string[]> {
	const date = new Date(at).toUTCString();
	const common = {Date: [date], 'Content-Type': ['text/event-stream; charset=utf-8'], 'Cache-Control': ['no-cache'], Server: ['cloudflare'], 'Cf-Ray': [`9a1b2c3d${(at % 1e8).toString(16)}-FRA`], 'Strict-Transport-Security': ['max-age=31536000; includeSubDomains; preload']};
	const reset5h = String(Math.floor(at / 1000) + 3 * 3600);
	const reset7d = String(Math.floor(at / 1000) + 4 * 86400);
	if (provider === 'claude') {
		return {
			...common,
			'Request-Id': [`req_011CV${(at % 1e12).toString(36)}abcdefghij`],
			'Anthropic-Organization-Id': ['0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b'],
			'Anthropic-Ratelimit-Unified-Status': ['allowed'],
			'Anthropic-Ratelimit-Unified-5h-Status': ['allowed'],
			'Anthropic-Ratelimit-Unified-5h-Reset': [reset5h],
			'Anthropic-Ratelimit-Unified-5h-Utilization': ['0.42'],
			'Anthropic-Ratelimit-Unified-7d-Status': ['allowed'],
			'Anthropic-Ratelimit-Unified-7d-Reset': [reset7d],
			'Anthropic-Ratelimit-Unified-7d-Utilization': ['0.18'],
			'Anthropic-Ratelimit-Unified-Representative-Claim': ['five_hour'],
			'Anthropic-Ratelimit-Unified-Fallback-Percentage': ['0.5'],
			'Anthropic-Ratelimit-Unified-Reset': [reset5h],
			Via: ['1.1 google'],
			'Cf-Cache-Status': ['DYNAMIC'],
			'X-Robots-Tag': ['none'],
			'X-Envoy-Upstream-Service-Time': ['412'],
		};
	}
	if (provider === 'codex') {
		return {
			...common,
			'X-Request-Id': [`${(at % 1e12).toString(16)}-4c5d-6e7f-8091-a2b3c4d5e6f7`],
			'Openai-Processing-Ms': ['380'],
			'X-Codex-Primary-Used-Percent': ['37'],
			'X-Codex-Primary-Window-Minutes': ['300'],
			'X-Codex-Primary-Reset-After-Seconds': ['9000'],
			'X-Codex-Secondary-Used-Percent': ['12'],
			'X-Codex-Secondary-Window-Minutes': ['10080'],
			'X-Codex-Secondary-Reset-After-Seconds': ['345600'],
			'X-Codex-Primary-Over-Secondary-Limit-Percent': ['0'],
			'Openai-Version': ['2020-10-01'],
		};
	}
	return {...common, Vary: ['Origin', 'X-Origin', 'Referer'], 'X-Cloudaicompanion-Trace-Id': [`${(at % 1e12).toString(16)}abcdef`], 'Server-Timing': ['gfet4t7; dur=812'], 'Alt-Svc': ['h3=":443"; ma=2592000,h3-29=":443"; ma=2592000']};
}

/** A v7 record as the collector reads it at the moment the request completed (`spec.at`). */
export function readV7(spec: RecordSpec, salt: string, version?: V7Version): UsageRecord {
	return readQueueRecord(v7Record(spec, version), salt, spec.at);
}
