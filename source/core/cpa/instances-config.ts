import {instanceName} from './instance-name.js';

/** One CPA the collector reads from. */
export type CpaInstance = {
	/** How it is labelled everywhere (rows, reports, metrics): `NAME=` from the list, else the URL's host:port. */
	name: string;
	/** Its base URL, normalised (no trailing slash). */
	url: string;
	/** `CLIPROXY_MANAGEMENT_KEY_<NAME>` when set, else `CLIPROXY_MANAGEMENT_KEY`. Never logged, stored or answered. */
	managementKey: string | null;
};

type Env = Readonly<Record<string, string | undefined>>;

/** A problem with one entry; the caller names the field. */
export type InstanceProblem = (problem: string) => Error;

/** Letters, digits and `. _ : -`, starting with a letter or digit: safe in a label, a log line and a spool header. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,62}$/;

/** `CLIPROXY_MANAGEMENT_KEY_<NAME>`: the name upper-cased, every non-alphanumeric as `_`. */
export function keyVariableFor(name: string): string {
	return `CLIPROXY_MANAGEMENT_KEY_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/**
 * `CLIPROXY_URL` as a list: entries `URL` or `NAME=URL`, comma-separated. `parseUrl` checks
 * and normalises one URL. Names must be unique, and so must the key variables they map to
 * (`team-a` and `team_a` would share one) and the URLs (one CPA read twice would count twice).
 */
export function parseInstances(value: string, env: Env, parseUrl: (url: string) => string, problem: InstanceProblem): CpaInstance[] {
	const shared = env['CLIPROXY_MANAGEMENT_KEY']?.trim() || null;
	const entries = value.split(',').map(e => e.trim());
	if (entries.length > 1 && entries.some(e => e === '')) {
		throw problem(`has an empty entry in its list (got ${JSON.stringify(value)}); separate entries with single commas`);
	}
	const out: CpaInstance[] = [];
	const byName = new Map<string, string>();
	const byVariable = new Map<string, string>();
	const byUrl = new Map<string, string>();
	for (const entry of entries) {
		const eq = entry.indexOf('=');
		const named = eq > 0 && !entry.slice(0, eq).includes('://');
		const url = parseUrl(named ? entry.slice(eq + 1).trim() : entry);
		const name = named ? entry.slice(0, eq).trim() : instanceName(url);
		if (!NAME.test(name)) {
			throw problem(`entry ${JSON.stringify(entry)}: the name must be 1-63 letters, digits or . _ : - starting with a letter or digit (got ${JSON.stringify(name)})`);
		}
		const lower = name.toLowerCase();
		if (byName.has(lower)) throw problem(`entry ${JSON.stringify(entry)}: the name ${JSON.stringify(name)} is used twice; give each CPA its own name (NAME=URL)`);
		const variable = keyVariableFor(name);
		const clash = byVariable.get(variable);
		if (clash !== undefined) {
			throw problem(`entry ${JSON.stringify(entry)}: the names ${JSON.stringify(clash)} and ${JSON.stringify(name)} would share ${variable}; rename one`);
		}
		const sameUrl = byUrl.get(url);
		if (sameUrl !== undefined) {
			throw problem(`entry ${JSON.stringify(entry)}: ${url} is already in the list as ${JSON.stringify(sameUrl)}; one CPA read twice would count its requests twice`);
		}
		byName.set(lower, name);
		byVariable.set(variable, name);
		byUrl.set(url, name);
		const own = env[variable]?.trim();
		out.push({name, url, managementKey: own ? own : shared});
	}
	return out;
}
