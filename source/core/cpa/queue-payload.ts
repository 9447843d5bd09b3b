import {isQuotaHeader} from '../quota/headers.js';

/**
 * Parses a usage-queue answer. Since v7.1.13 every record carries `response_headers`, a copy
 * of the upstream response headers (Go's `http.Header`: name → list of strings), of which only
 * the quota allow-list is read (core/quota/headers.ts); parsing the whole map costs about a
 * third of a record. So each member is rewritten before JSON.parse to hold only allowed names,
 * with a regex that matches only that member in Go's encoding. It cannot match inside a string
 * value (there every `"` is escaped, so `,"` never occurs); a member it does not match is
 * simply parsed whole (and filtered by the record reader); and if the rewritten text fails to
 * parse, the original is parsed instead.
 */
export function parseQueuePayload(text: string): unknown {
	const stripped = stripResponseHeaders(text);
	if (stripped === text) return JSON.parse(text);
	try {
		return JSON.parse(stripped);
	} catch {
		return JSON.parse(text);
	}
}

const STRING = '"[^"\\\\]*(?:\\\\.[^"\\\\]*)*"';
const VALUES = `\\[(?:${STRING}(?:,${STRING})*)?\\]`;
const HEADERS = new RegExp(`,"response_headers":\\{(?:${STRING}:${VALUES}(?:,${STRING}:${VALUES})*)?\\}`, 'g');

const ENTRY = new RegExp(`(${STRING}):(${VALUES})`, 'g');
const CANDIDATE = /"(?:anthropic-ratelimit-|x-codex-|retry-after")/i;

/** Every `response_headers` member cut down to the allowed quota headers (or removed when none is left). */
export function stripResponseHeaders(text: string): string {
	return text.includes('"response_headers"') ? text.replace(HEADERS, keepQuotaHeaders) : text;
}

function keepQuotaHeaders(member: string): string {
	if (!CANDIDATE.test(member)) return '';
	const kept: string[] = [];
	for (const m of member.matchAll(ENTRY)) {
		const quoted = m[1]!;
		const name = quoted.includes('\\') ? (JSON.parse(quoted) as string) : quoted.slice(1, -1);
		if (isQuotaHeader(name)) kept.push(`${quoted}:${m[2]}`);
	}
	return kept.length === 0 ? '' : `,"response_headers":{${kept.join(',')}}`;
}
