import type {Db} from './database.js';

/**
 * The tag each configured CPA's rows are stored under (migration 8). The first CPA a database
 * ever collects from keeps '' (its keys, series and accounts stay as a single-CPA database wrote
 * them); every CPA added later is stored under its name.
 */
export function assignInstanceTags(db: Db, names: readonly string[], now: number): Map<string, string> {
	const read = db.prepare<[], {name: string; tag: string}>('SELECT name, tag FROM collector_instances');
	const insert = db.prepare<[string, string, number]>('INSERT INTO collector_instances (name, tag, added_at) VALUES (?, ?, ?)');
	const tags = new Map<string, string>();
	db.transaction(() => {
		const known = new Map(read.all().map(r => [r.name, r.tag]));
		const taken = new Set(known.values());
		for (const name of names) {
			let tag = known.get(name);
			if (tag === undefined) {
				tag = taken.size === 0 ? '' : name;
				insert.run(name, tag, now);
				taken.add(tag);
				known.set(name, tag);
			}
			tags.set(name, tag);
		}
	}).immediate();
	return tags;
}

const reads = new WeakMap<Db, (() => Array<{name: string; tag: string}>) | null>();

/** Stored tag → the name it is shown as: '' is the first instance's name (the configured first CPA's when none is stored yet). */
export function instanceNames(db: Db, firstConfigured: string): Map<string, string> {
	const out = new Map<string, string>([['', firstConfigured]]);
	let read = reads.get(db);
	if (read === undefined) {
		try {
			const stmt = db.prepare<[], {name: string; tag: string}>('SELECT name, tag FROM collector_instances');
			read = () => stmt.all();
		} catch {
			// A read-only database from before migration 8: one instance.
			read = null;
		}
		reads.set(db, read);
	}
	for (const r of read?.() ?? []) out.set(r.tag, r.name);
	return out;
}
