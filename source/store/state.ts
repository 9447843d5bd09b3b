import type {Db} from './database.js';

/** Small key/value facts the collector keeps between runs (salt, high-water mark, rollup zone). */
export class StateStore {
	private readonly getStmt;
	private readonly setStmt;

	constructor(db: Db) {
		this.getStmt = db.prepare<[string], {value: string}>('SELECT value FROM collector_state WHERE key = ?');
		this.setStmt = db.prepare<[string, string]>(
			'INSERT INTO collector_state(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
		);
	}

	get(key: string): string | undefined {
		return this.getStmt.get(key)?.value;
	}

	set(key: string, value: string): void {
		this.setStmt.run(key, value);
	}

	getNumber(key: string): number | null {
		const v = this.get(key);
		return v === undefined ? null : Number(v);
	}

	/** Per-database secret for keyed hashes: the dedupe key and client-key hashes. */
	salt(): string {
		const salt = this.get('salt');
		if (!salt) throw new Error('database has no salt: it was not opened through openDatabase()');
		return salt;
	}
}
