import {dirname, join} from 'node:path';
import {EXIT, UserFacingError} from '../runtime/exit-codes.js';

const WHERE = 'DB_PATH (or --db)';
const ELSEWHERE = `or set ${WHERE} to a writable place, such as ./data/collector.db`;

/** DB_PATH names a directory: a configuration mistake, so exit 2. */
export function directoryError(file: string): UserFacingError {
	return new UserFacingError(`${WHERE} names a directory, ${file}: point it at a file, such as ${join(file, 'collector.db')}.`, EXIT.usage);
}

/** The database file or its directory could not be created (mkdir or open on /proc, /sys, a read-only disk…). */
export function createError(error: unknown, file: string, what: 'directory' | 'file'): UserFacingError {
	const code = (error as {code?: string}).code ?? 'error';
	const target = what === 'directory' ? dirname(file) : file;
	return new UserFacingError(`Cannot create the database ${what === 'directory' ? `directory ${target}` : target} (${code}${reason(code)}): fix its permissions, ${ELSEWHERE}.`);
}

function reason(code: string): string {
	const why: Record<string, string> = {
		EACCES: ': permission denied',
		EPERM: ': operation not permitted',
		EROFS: ': read-only file system',
		ENOENT: ': this place cannot hold files',
		ENOTDIR: ': part of the path is a file',
		ENOSPC: ': no space left',
	};
	return why[code] ?? '';
}

/** Any failure while SQLite opens, checks or migrates the file, as one line with the path and the fix. */
export function openError(error: unknown, file: string): Error {
	if (error instanceof UserFacingError) return error;
	const code = (error as {code?: string}).code;
	if (typeof code !== 'string') return error as Error;
	const dir = dirname(file);
	if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
		return new UserFacingError(`${file} is not a usable SQLite database (${code}). Restore it from a backup (cliproxy-usage db backup) or move it aside.`);
	}
	if (code === 'SQLITE_READONLY_DIRECTORY') {
		return new UserFacingError(`The database ${file} cannot be used: its directory ${dir} is not writable for this user, and SQLite keeps its -wal and -shm files beside the database. Make ${dir} writable (or run as its owner), ${ELSEWHERE}.`);
	}
	if (code.startsWith('SQLITE_READONLY')) {
		return new UserFacingError(`The database ${file} is read-only for this user (${code}): make it writable (chmod u+w, or run as its owner), ${ELSEWHERE}.`);
	}
	if (code === 'SQLITE_FULL' || code === 'ENOSPC') return new UserFacingError(`The disk holding ${file} is full (${code}): free some space, ${ELSEWHERE}.`);
	if (code === 'SQLITE_CANTOPEN' || code === 'EACCES' || code === 'EPERM' || code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_PERM')) {
		return new UserFacingError(`Cannot open the database ${file} (${code}): check that ${WHERE} names a regular file you can read and write, in a directory you can write.`);
	}
	if (code.startsWith('SQLITE_')) return new UserFacingError(`Cannot open the database ${file} (${code}: ${(error as Error).message}): check ${WHERE}.`);
	return error as Error;
}
