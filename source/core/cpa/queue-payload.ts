import {headerMemberEnd, mayHoldQuotaHeaders} from '../quota/signals.js';

/** A parsed queue answer, and the raw text of each `response_headers` member it refers to by index. */
export type QueuePayload = {value: unknown; headers: readonly string[]};

/**
 * Parses a usage-queue answer. Since v7.1.13 every record carries `response_headers`, a copy
 * of the upstream response headers (Go's `http.Header`: name → list of strings), of which only
 * the quota allow-list is ever read (core/quota/headers.ts). Parsing the whole map costs about
 * a third of a record, and only the newest record per account and model of a batch is read at
 * all. So before JSON.parse each member is replaced by its index in `headers`, which keeps the
 * member's raw text (a slice of the answer, not a copy) for whoever reads it. The member is found
 * by its exact opening text, which cannot occur inside a string value (there every `"` is
 * escaped); a member not in Go's compact shape is left to JSON.parse (and filtered by the record
 * reader); and if the rewritten text fails to parse, the original is parsed.
 */
export function parseQueuePayload(text: string): QueuePayload {
	const headers: string[] = [];
	const stripped = stripResponseHeaders(text, headers);
	if (stripped === text) return {value: JSON.parse(text), headers: []};
	try {
		return {value: JSON.parse(stripped), headers};
	} catch {
		return {value: JSON.parse(text), headers: []};
	}
}

const MEMBER = ',"response_headers":{';

/** Every `response_headers` member in Go's compact form replaced by its index in `headers` (where its text goes). */
export function stripResponseHeaders(text: string, headers: string[] = []): string {
	let i = text.indexOf(MEMBER);
	if (i === -1) return text;
	const parts: string[] = [];
	let pos = 0;
	while (i !== -1) {
		const start = i + MEMBER.length;
		const end = headerMemberEnd(text, start);
		if (end === undefined) {
			i = text.indexOf(MEMBER, i + 1);
			continue;
		}
		const member = text.slice(start - 1, end);
		parts.push(text.slice(pos, i));
		// A member with no quota header name at all (a Gemini reply, say) is simply dropped.
		if (mayHoldQuotaHeaders(member)) {
			parts.push(`,"response_headers":${headers.length}`);
			headers.push(member);
		}
		pos = end;
		i = text.indexOf(MEMBER, pos);
	}
	if (pos === 0) return text;
	parts.push(text.slice(pos));
	return parts.join('');
}
