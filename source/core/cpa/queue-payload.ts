/**
 * Parses a usage-queue answer. Since v7.2.140 every record carries `response_headers`, a
 * copy of the upstream response headers (Go's `http.Header`: name → list of strings) that
 * we do not store; parsing them costs about a third of a record. They are cut out of the
 * text before JSON.parse with a regex that matches only that member in Go's encoding. It
 * cannot match inside a string value (there every `"` is escaped, so `,"` never occurs);
 * a member it does not match is simply parsed; and if the cut text fails to parse, the
 * original is parsed instead.
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

export function stripResponseHeaders(text: string): string {
	return text.includes('"response_headers"') ? text.replace(HEADERS, '') : text;
}
