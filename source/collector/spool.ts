import {randomBytes} from 'node:crypto';
import {closeSync, fsyncSync, ftruncateSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync} from 'node:fs';
import {basename, dirname, join} from 'node:path';
import type {Logger} from '../runtime/logger.js';

/**
 * What a spooled page holds: a `/usage-queue` answer as CPA sent it (`queue`), a JSON array of
 * `LPOP` items (`resp`), or pushed RESP records joined into one JSON array (`resp-records`: each
 * message already parsed as JSON, so joining them costs no escaping).
 */
export type SpoolKind = 'queue' | 'resp' | 'resp-records';
const KINDS: readonly string[] = ['queue', 'resp', 'resp-records'];

/** `instance`: the tag of the CPA the page came from ('' the first one; see store/instances.ts). */
export type SpoolEntry = {id: number; kind: SpoolKind; payload: string; records: number; at: number; instance: string};

/** A pop that was asked for and never written down: the collector died while the page was in transit. */
export type LostPop = {kind: SpoolKind; requested: number; at: number; file: string; instance: string};

/** The instance tag as the last field of a line; none for '' (files of one CPA read as before). */
const tagField = (instance: string) => (instance === '' ? '' : ` ${instance}`);

/** Spool files this process has open: never adopted by another collector in the same process. */
const OPEN = new Set<string>();

/**
 * Records popped from CPA and not yet committed, in a plain append-only file beside the
 * database (`<db>.spool.<pid>.<id>`), so that neither a failing store nor a kill loses what
 * CPA has already forgotten. Per pop: an intent line before the request (`I`), the page as it
 * arrived, before it is parsed (`P`, one write(2); a kill in the middle of a large one can cut it
 * short, and then its intent, still open, reports the page as lost), and
 * once it is committed the file is cut back to nothing (or an ack line `A` while older pages
 * still wait). While the store is down every page is fsynced. When even the file cannot be
 * written, pages are held in memory and `memoryOnly` says how many would die with the process.
 *
 * On start, files left by collectors that are no longer running are adopted: their pages are
 * replayed first; an intent without its page is reported as a possible loss.
 */
export class Spool {
	readonly file: string | null;
	private fd: number | null = null;
	private nextId = 1;
	private readonly pending = new Map<number, SpoolEntry>();
	private readonly intents = new Map<number, {kind: SpoolKind; requested: number; instance: string}>();
	private readonly unwritten = new Set<number>();
	private dirty = false;
	/** Why the file could not be written (then pages are held in memory). */
	error: string | null = null;

	constructor(
		dbPath: string,
		private readonly logger: Logger,
		private readonly now: () => number = Date.now,
	) {
		this.file = dbPath === ':memory:' ? null : `${dbPath}.spool.${process.pid}.${randomBytes(4).toString('hex')}`;
	}

	/** Pages waiting to be committed, oldest first. */
	entries(): SpoolEntry[] {
		return [...this.pending.values()];
	}

	get pages(): number {
		return this.pending.size;
	}

	get records(): number {
		let n = 0;
		for (const e of this.pending.values()) n += e.records;
		return n;
	}

	/** Pages held only in memory: lost if the process ends before the store takes them. */
	get memoryOnly(): number {
		return this.unwritten.size;
	}

	/** Before a destructive pop: if the collector dies before `page()`, the next start says so. */
	intent(kind: SpoolKind, requested: number, instance = ''): number {
		const id = this.nextId++;
		this.intents.set(id, {kind, requested, instance});
		this.write(`I ${id} ${kind} ${requested} ${this.now()}${tagField(instance)}\n`);
		return id;
	}

	/** The page as it arrived, before anything parses it. */
	page(id: number, kind: SpoolKind, payload: string, instance = ''): void {
		this.intents.delete(id);
		this.pending.set(id, {id, kind, payload, records: 0, at: this.now(), instance});
		if (!this.write(`P ${id} ${kind} ${Buffer.byteLength(payload)}${tagField(instance)}\n${payload}\n`)) this.unwritten.add(id);
	}

	/** A page with no intent before it (pushed records, adopted pages). */
	append(kind: SpoolKind, payload: string, records = 0, instance = ''): number {
		const id = this.nextId++;
		this.page(id, kind, payload, instance);
		this.count(id, records);
		return id;
	}

	/** How many records a page held, once parsed (for the status). */
	count(id: number, records: number): void {
		const entry = this.pending.get(id);
		if (entry) entry.records = records;
	}

	/** The page is committed (or can never be): forget it. */
	ack(id: number): void {
		this.intents.delete(id);
		if (!this.pending.delete(id)) return;
		this.unwritten.delete(id);
		if (this.pending.size === 0 && this.intents.size === 0) this.truncate();
		else this.write(`A ${id}\n`);
	}

	/** The pop failed before a page arrived: nothing was taken from CPA. */
	cancel(id: number): void {
		if (!this.intents.delete(id)) return;
		if (this.pending.size === 0 && this.intents.size === 0) this.truncate();
		else this.write(`A ${id}\n`);
	}

	/** Makes what is written durable; pages that never reached the file are written now if they can be. */
	sync(): void {
		for (const id of [...this.unwritten]) {
			const e = this.pending.get(id);
			if (e && this.write(`P ${id} ${e.kind} ${Buffer.byteLength(e.payload)}${tagField(e.instance)}\n${e.payload}\n`)) this.unwritten.delete(id);
		}
		if (this.fd === null || !this.dirty) return;
		try {
			fsyncSync(this.fd);
			this.dirty = false;
		} catch (error) {
			this.fail(error);
		}
	}

	/** Pages left by collectors that are no longer running, taken over (and their files removed). */
	adopt(): {pages: number; records: number; lost: LostPop[]} {
		if (!this.file) return {pages: 0, records: 0, lost: []};
		const dir = dirname(this.file);
		const prefix = `${basename(this.file).split('.spool.')[0]}.spool.`;
		let names: string[];
		try {
			names = readdirSync(dir).filter(n => n.startsWith(prefix));
		} catch {
			return {pages: 0, records: 0, lost: []};
		}
		let pages = 0;
		let records = 0;
		const lost: LostPop[] = [];
		for (const name of names.sort()) {
			const path = join(dir, name);
			if (path === this.file || OPEN.has(path)) continue;
			const pid = Number(name.slice(prefix.length).split('.')[0]);
			if (Number.isInteger(pid) && pid !== process.pid && alive(pid)) continue;
			let text: Buffer;
			try {
				text = readFileSync(path);
			} catch (error) {
				this.logger.error('could not read a spool file left by an earlier run; its records stay in it', {file: path, error: String(error)});
				continue;
			}
			const found = readSpoolFile(text);
			for (const p of found.pages) {
				this.append(p.kind, p.payload, countRecords(p.payload), p.instance);
				pages++;
			}
			for (const i of found.intents) lost.push({...i, file: path});
			if (found.torn) this.logger.warn('a spool file left by an earlier run ends in a torn write; the complete pages before it are kept', {file: path});
			this.sync();
			if (this.error && this.memoryOnly > 0) continue; // keep the old file: its pages are only in memory here
			try {
				unlinkSync(path);
			} catch {
				// Already gone (another collector adopted it): its pages are duplicates the store ignores.
			}
		}
		records = this.records;
		return {pages, records, lost};
	}

	/** Removes the file when nothing waits in it; otherwise leaves it, synced, for the next start. */
	close(): void {
		if (this.fd === null) return;
		if (this.pending.size === 0) {
			this.truncate();
			closeSync(this.fd);
			this.fd = null;
			if (this.file) {
				OPEN.delete(this.file);
				try {
					unlinkSync(this.file);
				} catch {
					// nothing to remove
				}
			}
			return;
		}
		this.sync();
		closeSync(this.fd);
		this.fd = null;
		if (this.file) OPEN.delete(this.file);
		this.logger.warn('records popped from CPA are still waiting in the spool; the next start replays them', {file: this.file, pages: this.pending.size, records: this.records});
	}

	private write(text: string): boolean {
		if (!this.file) return false;
		try {
			if (this.fd === null) {
				this.fd = openSync(this.file, 'a', 0o600);
				OPEN.add(this.file);
			}
			const buffer = Buffer.from(text);
			let done = 0;
			while (done < buffer.length) done += writeSync(this.fd, buffer, done);
			this.dirty = true;
			if (this.error) {
				this.logger.info('the spool file can be written again', {file: this.file});
				this.error = null;
			}
			return true;
		} catch (error) {
			this.fail(error);
			return false;
		}
	}

	private truncate(): void {
		if (this.fd === null) return;
		try {
			ftruncateSync(this.fd, 0);
			this.dirty = false;
		} catch (error) {
			this.fail(error);
		}
	}

	private fail(error: unknown): void {
		const message = (error as NodeJS.ErrnoException)?.code ?? String(error);
		if (this.error === null) this.logger.error('could not write the spool file; popped records are held in memory until the store takes them', {file: this.file, error: String(error)});
		this.error = `${message}: ${(error as Error)?.message ?? String(error)}`;
	}
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** Records in a spooled page, for the status; 0 when it does not parse. */
export function countRecords(payload: string): number {
	try {
		const value = JSON.parse(payload) as unknown;
		return Array.isArray(value) ? value.length : 0;
	} catch {
		return 0;
	}
}

/**
 * The pages of a spool file that were never acknowledged, and the intents that never got
 * their page. A frame cut short by a kill ends the file (`torn`); what came before it stands.
 */
export function readSpoolFile(data: Buffer): {pages: Array<{id: number; kind: SpoolKind; payload: string; instance: string}>; intents: Array<{kind: SpoolKind; requested: number; at: number; instance: string}>; torn: boolean} {
	const pages = new Map<number, {id: number; kind: SpoolKind; payload: string; instance: string}>();
	const intents = new Map<number, {kind: SpoolKind; requested: number; at: number; instance: string}>();
	let pos = 0;
	let torn = false;
	while (pos < data.length) {
		const nl = data.indexOf(0x0a, pos);
		if (nl === -1) {
			torn = true;
			break;
		}
		const head = data.subarray(pos, nl).toString('utf8').split(' ');
		const id = Number(head[1]);
		const kind = (KINDS.includes(head[2] ?? '') ? head[2] : 'queue') as SpoolKind;
		if (head[0] === 'I' && (head.length === 5 || head.length === 6)) {
			intents.set(id, {kind, requested: Number(head[3]), at: Number(head[4]), instance: head[5] ?? ''});
			pos = nl + 1;
		} else if (head[0] === 'P' && (head.length === 4 || head.length === 5)) {
			const bytes = Number(head[3]);
			const end = nl + 1 + bytes;
			if (!Number.isSafeInteger(bytes) || end + 1 > data.length || data[end] !== 0x0a) {
				torn = true;
				break;
			}
			intents.delete(id);
			pages.set(id, {id, kind, payload: data.subarray(nl + 1, end).toString('utf8'), instance: head[4] ?? ''});
			pos = end + 1;
		} else if (head[0] === 'A' && head.length === 2) {
			pages.delete(id);
			intents.delete(id);
			pos = nl + 1;
		} else {
			torn = true;
			break;
		}
	}
	return {pages: [...pages.values()], intents: [...intents.values()], torn};
}
