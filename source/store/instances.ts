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

/** Stored tag → the name it is shown as: '' is the first instance's name (the configured first CPA's when none is stored yet). */
export function instanceNames(db: Db, firstConfigured: string): Map<string, string> {
	const out = new Map<string, string>([['', firstConfigured]]);
	let rows: Array<{name: string; tag: string}> = [];
	try {
		rows = db.prepare<[], {name: string; tag: string}>('SELECT name, tag FROM collector_instances').all();
	} catch {
		// A read-only database from before migration 8: one instance.
	}
	for (const r of rows) out.set(r.tag, r.name);
	return out;
}
