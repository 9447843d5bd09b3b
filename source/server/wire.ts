import type {BusEvent} from '../collector/event-bus.js';
import type {ModelUsage} from '../store/range-usage.js';

/** The HTTP API speaks snake_case with ISO timestamps; internal objects are camelCase with epoch ms. */
export function snakeKeys(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(snakeKeys);
	if (value === null || typeof value !== 'object') return value;
	return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.replace(/[A-Z]/g, c => `_${c.toLowerCase()}`), snakeKeys(v)]));
}

/** A bus event for `/events` and the SSE stream: its time once, as ISO, and a snake_case payload. */
export function wireEvent(event: BusEvent): {id: number; type: string; at: string; data: unknown} {
	const {at: _at, ...rest} = event.data as Record<string, unknown>;
	return {id: event.id, type: event.type, at: new Date(event.at).toISOString(), data: snakeKeys(rest)};
}

export function wireModelUsage(m: ModelUsage) {
	return {
		provider: m.provider || null,
		model: m.model,
		requests: m.requests,
		failed: m.failed,
		input_tokens: m.inputTokens,
		output_tokens: m.outputTokens,
		reasoning_tokens: m.reasoningTokens,
		cached_tokens: m.cachedTokens,
		cache_read_tokens: m.cacheReadTokens,
		cache_creation_tokens: m.cacheCreationTokens,
		total_tokens: m.totalTokens,
		cost_usd: Math.round(m.costUsd * 1e6) / 1e6,
		estimated_requests: m.estimatedRequests,
	};
}
