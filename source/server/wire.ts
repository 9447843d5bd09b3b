import type {BusEvent} from '../collector/event-bus.js';

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
