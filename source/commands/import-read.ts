import {createReadStream, createWriteStream, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {pipeline} from 'node:stream/promises';
import {StringDecoder} from 'node:string_decoder';
import {getManyValues, isMany, none} from 'stream-chain/defs.js';
import {jsonParser, type Token} from 'stream-json/core/parser.js';
import {UserFacingError} from '../runtime/exit-codes.js';

/** Bytes read at a time, and so the window a syntax error is placed in. */
const CHUNK_BYTES = 64 * 1024;

/**
 * Feeds every JSON token of the file to `push`, reading it in chunks: no string ever holds
 * the file. A syntax error is one line with the byte range it lies in, and no text from the
 * file (which may hold client keys).
 */
export async function readJsonTokens(path: string, push: (token: Token) => void, names: {json: string; read: string}): Promise<void> {
	const parse = jsonParser({packValues: true, streamValues: false});
	const decoder = new StringDecoder('utf8');
	let offset = 0;
	const feed = (input: string | typeof none, end: number) => {
		let out;
		try {
			out = parse(input as string); // `none` flushes: a Flushable takes it though its type says string
		} catch (error) {
			const reason = (error as Error).message.replace(/^Parser (cannot parse input: |has )/, '');
			const where = input === none ? `it ends early: ${reason}` : `${reason}, within bytes ${offset}–${end}`;
			throw new UserFacingError(`${names.json} is not valid JSON (${where}); nothing was imported.`);
		}
		if (out === none) return;
		if (isMany(out)) for (const token of getManyValues(out)) push(token as Token);
		else push(out as Token);
	};
	const stream = createReadStream(path, {highWaterMark: CHUNK_BYTES});
	let first = true;
	try {
		for await (const chunk of stream) {
			let text = decoder.write(chunk as Buffer);
			if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
			first = false;
			feed(text, offset + (chunk as Buffer).length);
			offset += (chunk as Buffer).length;
		}
	} catch (error) {
		if (error instanceof UserFacingError) throw error;
		throw readError(error, names.read);
	} finally {
		stream.destroy();
	}
	feed(decoder.end(), offset);
	feed(none, offset);
}

export function readError(error: unknown, name: string): UserFacingError {
	const code = (error as {code?: string}).code;
	const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
	return new UserFacingError(`Cannot read ${name}: ${why}.`);
}

/** Standard input copied to a private temporary file, so it can be read twice (check, then import). */
export async function spoolStdin(): Promise<{path: string; remove: () => void}> {
	const dir = mkdtempSync(join(tmpdir(), 'cliproxy-usage-import-'));
	const path = join(dir, 'stdin.json');
	const remove = () => rmSync(dir, {recursive: true, force: true});
	try {
		await pipeline(process.stdin, createWriteStream(path, {mode: 0o600}));
	} catch (error) {
		remove();
		throw readError(error, 'standard input');
	}
	return {path, remove};
}
