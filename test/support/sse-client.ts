import {onCleanup} from './temp.js';

export type SseEvent = {id?: string; event: string; data: unknown};

/** A streaming fetch that parses SSE frames as they arrive (comments are counted, not kept). */
export async function connectSse(url: string, headers: Record<string, string> = {}) {
	const controller = new AbortController();
	const response = await fetch(url, {headers, signal: controller.signal});
	const events: SseEvent[] = [];
	let comments = 0;
	let ended = false;
	onCleanup(() => controller.abort());
	const pump = (async () => {
		const reader = response.body!.getReader();
		const decoder = new TextDecoder();
		let buffer = '';
		try {
			for (;;) {
				const {done, value} = await reader.read();
				if (done) break;
				buffer += decoder.decode(value, {stream: true});
				let end: number;
				while ((end = buffer.indexOf('\n\n')) !== -1) {
					const frame = buffer.slice(0, end);
					buffer = buffer.slice(end + 2);
					if (frame.startsWith(':')) {
						comments++;
						continue;
					}
					const fields = Object.fromEntries(frame.split('\n').map(line => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]));
					if (fields['event']) events.push({id: fields['id'], event: fields['event'], data: JSON.parse(fields['data'] ?? 'null')});
				}
			}
		} catch {
			// aborted
		}
		ended = true;
	})();
	return {
		response,
		events,
		get comments() {
			return comments;
		},
		get ended() {
			return ended;
		},
		async next(event: string, timeoutMs = 10_000, after = 0): Promise<SseEvent> {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				const found = events.slice(after).find(e => e.event === event);
				if (found) return found;
				if (Date.now() > deadline) throw new Error(`no "${event}" event within ${timeoutMs} ms (got: ${events.map(e => e.event).join(', ')})`);
				await new Promise(r => setTimeout(r, 20));
			}
		},
		close: () => controller.abort(),
		done: pump,
	};
}
