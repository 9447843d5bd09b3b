import Assembler from 'stream-json/core/assembler.js';
import type {Token} from 'stream-json/core/parser.js';

/** Receives each detail of `usage.apis[api].models[model].details`, in file order. */
export type DetailSink = (api: string, model: string, detail: unknown) => void;

type Frame = {array: boolean; key: string | null; details: {api: string; model: string} | null};

/**
 * Reads an import file as a stream of JSON tokens (stream-json's), so a file of any size is
 * read without ever holding it, or its details, whole: V8 cannot make a string longer than
 * 512 MiB, and a CPA export can be bigger. Everything but the details is assembled into a
 * skeleton, with each details array left empty (its structure is checked as for a whole
 * file); each detail goes to the sink as soon as it is complete, or nowhere when the sink is
 * null (a first pass that only checks the file).
 */
export class ImportTokenReader {
	private readonly skeleton = new Assembler();
	private readonly frames: Frame[] = [];
	private item: Assembler | null = null;
	private itemDepth = 0;
	private itemFor: {api: string; model: string} | null = null;

	constructor(private readonly sink: DetailSink | null) {}

	push(token: Token): void {
		if (this.itemFor) {
			this.inItem(token);
			return;
		}
		const top = this.frames.at(-1);
		if (top?.details && token.name !== 'endArray') {
			this.startItem(token, top.details);
			return;
		}
		this.skeleton.consume(token);
		switch (token.name) {
			case 'startObject':
			case 'startArray':
				this.frames.push({array: token.name === 'startArray', key: null, details: token.name === 'startArray' ? this.detailsHere() : null});
				break;
			case 'endObject':
			case 'endArray':
				this.frames.pop();
				break;
			case 'keyValue':
				if (top) top.key = token.value;
				break;
		}
	}

	/** The whole file without its details, once every token is in. */
	result(): unknown {
		return this.skeleton.current;
	}

	/** An array opening here is `usage.apis[api].models[model].details`. */
	private detailsHere(): {api: string; model: string} | null {
		const f = this.frames;
		if (f.length !== 6 || f.some(frame => frame.array)) return null;
		if (f[0]!.key !== 'usage' || f[1]!.key !== 'apis' || f[3]!.key !== 'models' || f[5]!.key !== 'details') return null;
		return {api: f[2]!.key!, model: f[4]!.key!};
	}

	private startItem(token: Token, at: {api: string; model: string}): void {
		if (token.name === 'startObject' || token.name === 'startArray') {
			this.itemFor = at;
			this.itemDepth = 0;
			this.item = this.sink ? new Assembler() : null;
			this.inItem(token);
			return;
		}
		// A detail that is not an object: the sink says what is wrong with it.
		const scalar = 'value' in token ? (token.name === 'numberValue' ? Number(token.value) : token.value) : null;
		this.sink?.(at.api, at.model, scalar);
	}

	private inItem(token: Token): void {
		this.item?.consume(token);
		if (token.name === 'startObject' || token.name === 'startArray') this.itemDepth++;
		else if (token.name === 'endObject' || token.name === 'endArray') this.itemDepth--;
		if (this.itemDepth > 0) return;
		const at = this.itemFor!;
		const value = this.item?.current;
		this.itemFor = null;
		this.item = null;
		this.sink?.(at.api, at.model, value);
	}
}
