export const EXIT = {
	ok: 0,
	/** CPA unreachable, auth refused, a database that cannot be opened. */
	failure: 1,
	/** Bad flags, environment or configuration. */
	usage: 2,
} as const;

/** A failure the user can fix; printed as one line, no stack. */
export class UserFacingError extends Error {
	constructor(
		message: string,
		readonly exitCode: number = EXIT.failure,
	) {
		super(message);
	}
}
