import {chmodSync, closeSync, openSync, renameSync, rmSync} from 'node:fs';
import {basename, dirname, join} from 'node:path';
import Database from 'better-sqlite3';
import type {Db} from './database.js';

export type BackupResult = {pages: number; quickCheck: string};

/**
 * SQLite's online backup into `dest`, consistent while the collector writes. The copy is done
 * in a single step: a step reads one snapshot of the WAL database, whereas a copy in many steps
 * starts over whenever another process commits, and under steady writes might never finish.
 * It is written beside `dest` and renamed over it only once it passes `PRAGMA quick_check`,
 * so `dest` is either the old file or a whole, checked backup, in rollback-journal mode (the
 * collector switches a restored copy back to WAL when it opens it).
 */
export async function backupDatabase(db: Db, dest: string): Promise<BackupResult> {
	const partial = join(dirname(dest), `.${basename(dest)}.${process.pid}.partial`);
	try {
		// Created 0600 before SQLite opens it (its journal files take the same mode), so the copy
		// is never readable by others, not even while it is being written.
		closeSync(openSync(partial, 'w', 0o600));
		chmodSync(partial, 0o600);
		const {totalPages} = await db.backup(partial, {progress: () => 0x7fffffff});
		const copy = new Database(partial, {fileMustExist: true});
		let quickCheck: string;
		try {
			// A file on its own: no -wal or -shm appears beside it when it is opened later.
			copy.pragma('journal_mode = DELETE');
			quickCheck = copy.pragma('quick_check', {simple: true}) as string;
		} finally {
			copy.close();
		}
		if (quickCheck !== 'ok') throw new Error(`the copy failed PRAGMA quick_check: ${quickCheck}`);
		renameSync(partial, dest);
		return {pages: totalPages, quickCheck};
	} finally {
		for (const f of [partial, `${partial}-wal`, `${partial}-shm`, `${partial}-journal`]) rmSync(f, {force: true});
	}
}
