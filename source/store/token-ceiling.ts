import type {Db} from './database.js';

/**
 * Every token column the rollups sum (the vocabulary's, vocabularyWeight), over the whole database, stays at most 2^53 − 1: then no
 * sum any report, route or metric takes (SQLite's integer sum(), JavaScript's numbers) can
 * overflow or lose precision, whatever range it covers. Records are bounded one by one when
 * read (RECORD_BOUNDS); this bounds what they add up to, checked inside the writing
 * transaction. With 10^9 tokens at most per field, it takes millions of maximal requests to
 * get near it; real use stays many orders of magnitude below.
 */
export const MAX_STORED_TOKENS = Number.MAX_SAFE_INTEGER;

export class TokenCeiling {
	private stored: number | null = null;
	private version = -1;
	private pending = 0;
	private readonly sum;

	constructor(private readonly db: Db) {
		// total() is a float and never overflows, even on a database already past the ceiling.
		this.sum = db.prepare<[], {n: number}>(
			`SELECT total(input) + total(cache_read) + total(cache_write) + total(output) + total(reasoning) + total(total) AS n FROM usage_1d`,
		);
	}

	/** Call first inside the writing transaction: rereads the total when another connection has written. */
	begin(): void {
		const version = this.db.pragma('data_version', {simple: true}) as number;
		if (this.stored === null || version !== this.version) {
			this.stored = this.sum.get()!.n;
			this.version = version;
		}
		this.pending = 0;
	}

	/** Whether `tokens` more fit; if so they are counted as added. */
	admit(tokens: number): boolean {
		if (tokens === 0) return true;
		if (this.stored! + this.pending + tokens > MAX_STORED_TOKENS) return false;
		this.pending += tokens;
		return true;
	}

	/** Gives back what `admit` counted for a record that turned out to be stored already. */
	release(tokens: number): void {
		this.pending -= tokens;
	}

	/** After the commit. A rolled-back transaction just skips this. */
	commit(): void {
		this.stored! += this.pending;
		this.pending = 0;
	}

	static readonly PROBLEM = `would take the tokens stored in this database past ${MAX_STORED_TOKENS.toLocaleString('en-US')}, where sums stop being exact; not stored`;
}
