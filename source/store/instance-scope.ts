import type {Db} from './database.js';
import {instanceNames} from './instances.js';

/**
 * Which instances a read covers and how they are named: `tag` one stored instance (undefined:
 * all), `names` every stored tag's name ('' the first CPA's). `several`: the database holds more
 * than one instance, so rows say which one they are (a single-CPA database reads as before).
 */
export type InstanceScope = {tag: string | undefined; names: ReadonlyMap<string, string>; several: boolean};

export class UnknownInstanceError extends Error {
	constructor(
		readonly instance: string,
		readonly known: readonly string[],
	) {
		super(`no instance named ${JSON.stringify(instance)} in this database; known: ${known.join(', ')}`);
	}
}

/** The scope for `--instance NAME` / `?instance=NAME` (undefined: all), names as stored, `firstName` for '' before any is stored. */
export function instanceScope(db: Db, firstName: string, name?: string): InstanceScope {
	const names = instanceNames(db, firstName);
	let tag: string | undefined;
	if (name !== undefined) {
		tag = [...names].find(([, n]) => n === name)?.[0];
		if (tag === undefined) throw new UnknownInstanceError(name, [...names.values()]);
	}
	return {tag, names, several: names.size > 1};
}

export const ALL_INSTANCES: InstanceScope = {tag: undefined, names: new Map(), several: false};
