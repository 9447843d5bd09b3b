import {ansiCodesToString, diffAnsiCodes, tokenize as realTokenize, type StyledChar, type Token} from '@alcalzone/ansi-tokenize';
import {isNarrowText} from './narrow-width.js';

/**
 * Ink turns every line of every frame into styled characters with @alcalzone/ansi-tokenize,
 * whose tokenizer walks the text grapheme by grapheme with Intl.Segmenter, and turns each row
 * back into text by diffing every cell's styles with its neighbour's (three Sets a cell). On a
 * 160x45 frame that is most of the first frame's render. The bundle routes both through here:
 * text made only of one-column characters that never join a neighbour (narrow-width.ts) and
 * colour codes gives the same tokens read char by char, and two neighbours with the same styles
 * need no diff. Anything else goes to the library.
 */
export function tokenize(text: string, endChar = Number.POSITIVE_INFINITY): Token[] {
	return narrowTokens(text, endChar) ?? realTokenize(text, endChar);
}

/** The library's own tokens of one colour code (a compound one splits), remembered: a frame uses a few dozen. */
const codeTokens = new Map<string, Token[]>();

function sgrTokens(code: string): Token[] {
	let tokens = codeTokens.get(code);
	if (!tokens) {
		tokens = realTokenize(code);
		if (codeTokens.size >= 1024) codeTokens.clear();
		codeTokens.set(code, tokens);
	}
	return tokens;
}

export function narrowTokens(text: string, endChar = Number.POSITIVE_INFINITY): Token[] | undefined {
	if (!isNarrowText(text)) return undefined;
	const out: Token[] = [];
	let visible = 0;
	for (let i = 0; i < text.length; i++) {
		if (text.charCodeAt(i) === 27) {
			// isNarrowText admitted only complete SGR sequences: ESC [ digits and semicolons m.
			const end = text.indexOf('m', i);
			for (const token of sgrTokens(text.slice(i, end + 1))) out.push(token);
			i = end;
			continue;
		}
		out.push({type: 'char', value: text[i]!, fullWidth: false});
		if (++visible >= endChar) break;
	}
	return out;
}

/** The library's styledCharsToString, without the diff where a cell's styles equal its neighbour's (that diff is empty). */
export function styledCharsToString(chars: readonly StyledChar[]): string {
	let out = '';
	for (let i = 0; i < chars.length; i++) {
		const char = chars[i]!;
		if (i === 0) out += ansiCodesToString(char.styles);
		else if (!sameStyles(chars[i - 1]!.styles, char.styles)) out += ansiCodesToString(diffAnsiCodes(chars[i - 1]!.styles, char.styles));
		out += char.value;
		if (i === chars.length - 1 && char.styles.length > 0) out += ansiCodesToString(diffAnsiCodes(char.styles, []));
	}
	return out;
}

function sameStyles(a: StyledChar['styles'], b: StyledChar['styles']): boolean {
	if (a === b) return true;
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i]!.code !== b[i]!.code || a[i]!.endCode !== b[i]!.endCode) return false;
	return true;
}
