/**
 * A write the database could not take for reasons of its own, not of the data: the disk is
 * full, the file is corrupt or read-only, I/O failed, or another writer held the lock past
 * the busy timeout. Trying the same records again later can succeed; dropping them cannot be
 * undone. `null` for anything else (a bug, bad data), which is not the store's state.
 */
export type StoreFailure = {code: string; message: string};

const STORE_CODES = /^SQLITE_(FULL|CORRUPT|NOTADB|READONLY|IOERR|BUSY|LOCKED|CANTOPEN|PERM|NOMEM|PROTOCOL|AUTH)/;

export function storeFailure(error: unknown): StoreFailure | null {
	if (error instanceof StoreUnavailableError) return error.failure;
	const e = error as {code?: unknown; message?: unknown} | null;
	const message = typeof e?.message === 'string' ? e.message : String(error);
	if (typeof e?.code === 'string' && STORE_CODES.test(e.code)) return {code: e.code, message};
	if (error instanceof TypeError && /database connection is not open/i.test(message)) return {code: 'CLOSED', message};
	return null;
}

/** What a pass fails with while the store cannot write: no record is popped until it can. */
export class StoreUnavailableError extends Error {
	readonly kind = 'store';
	constructor(
		readonly failure: StoreFailure,
		message: string,
	) {
		super(message);
	}
}
