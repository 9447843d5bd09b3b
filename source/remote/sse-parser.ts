export type SseEvent = {event: string; data: string};

/** A frame (or an unterminated line) past this is not something our server sends: the stream is dropped. */
export const MAX_SSE_FRAME = 1024 * 1024;

export class SseFrameTooLarge extends Error {
	constructor() {
		super(`an event-stream frame passed ${MAX_SSE_FRAME / 1024} KiB`);
	}
}

/**
 * Server-sent events, fed in chunks as they arrive: returns the complete events of each chunk
 * (comments such as heartbeats yield none). `data` lines of one event are joined by newlines,
 * as the spec says; `id` and `retry` are not needed here.
 */
export class SseParser {
	private buffer = '';
	private event = '';
	private data: string[] = [];
	private size = 0;
	/** The last chunk ended on CR: a LF opening this one belongs to it. */
	private afterCr = false;

	feed(chunk: string): SseEvent[] {
		this.buffer += this.afterCr && chunk.startsWith('\n') ? chunk.slice(1) : chunk;
		this.afterCr = false;
		const out: SseEvent[] = [];
		for (;;) {
			const end = this.buffer.search(/\r\n|\n|\r/);
			if (end < 0) break;
			const line = this.buffer.slice(0, end);
			if (this.buffer[end] === '\r' && end === this.buffer.length - 1) this.afterCr = true;
			this.buffer = this.buffer.slice(this.buffer[end] === '\r' && this.buffer[end + 1] === '\n' ? end + 2 : end + 1);
			if (line === '') {
				if (this.data.length > 0) out.push({event: this.event || 'message', data: this.data.join('\n')});
				this.event = '';
				this.data = [];
				this.size = 0;
				continue;
			}
			this.size += line.length;
			if (this.size > MAX_SSE_FRAME) throw new SseFrameTooLarge();
			if (line.startsWith(':')) continue;
			const colon = line.indexOf(':');
			const field = colon < 0 ? line : line.slice(0, colon);
			const value = colon < 0 ? '' : line.slice(colon + (line[colon + 1] === ' ' ? 2 : 1));
			if (field === 'event') this.event = value;
			else if (field === 'data') this.data.push(value);
		}
		if (this.buffer.length + this.size > MAX_SSE_FRAME) throw new SseFrameTooLarge();
		return out;
	}
}
