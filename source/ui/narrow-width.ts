/**
 * Characters that are one column wide in a terminal and never join a neighbour into one
 * grapheme: printable ASCII and Latin-1 (less the soft hyphen), general punctuation (less the
 * zero-width and bidi controls), arrows, box drawing, block elements and geometric shapes up to
 * the two that are emoji (U+25FD, U+25FE), and the dashboard's ⚠ and ✖ (text-style symbols
 * from blocks where many neighbours are wide emoji). The dashboard draws nothing else.
 */
const NARROW = /^[\u0020-\u007E\u00A0-\u00AC\u00AE-\u00FF\u2010-\u2027\u2030-\u205E\u2190-\u21FF\u2500-\u25FC\u26A0\u2716]*$/;

/** Colours and styles (SGR), which Ink leaves in the text it measures; they take no columns. */
const SGR = /\u001B\[[\d;]*m/g;

/** Whether text holds only those characters and complete colour codes. */
export function isNarrowText(text: string): boolean {
	return NARROW.test(text.includes('\u001B') ? text.replace(SGR, '') : text);
}

/**
 * The width string-width would give, for text made only of those characters (and colours):
 * its length. Undefined for anything else (other escape codes, wide or combining characters,
 * emoji, string-width's options), which string-width measures itself. The bundle routes every
 * string-width call through this first: string-width's first non-ASCII answer compiles its
 * emoji expression, about 25 ms of the dashboard's first frame.
 */
export function narrowWidth(text: unknown, options?: {ambiguousIsNarrow?: boolean; countAnsiEscapeCodes?: boolean}): number | undefined {
	if (typeof text !== 'string' || options?.ambiguousIsNarrow === false || options?.countAnsiEscapeCodes) return undefined;
	const plain = text.includes('\u001B') ? text.replace(SGR, '') : text;
	return NARROW.test(plain) ? plain.length : undefined;
}
