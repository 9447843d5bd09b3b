/**
 * How an account is keyed in the database. CPA's auth_index is sha256("<type>:<file path>")[:8],
 * so two CPAs can name different credentials alike: an account is (instance, auth_index). The
 * first instance a database collected from (tag '') keeps the bare auth_index, so a single-CPA
 * database is keyed as before; every other instance's accounts are `<tag>/<auth_index>` (names
 * hold no `/`).
 */
export function accountKey(tag: string, authIndex: string): string {
	return tag === '' ? authIndex : `${tag}/${authIndex}`;
}

/** The instance tag and CPA's auth_index of a stored account key; `tags` are the database's (an auth_index from a record may hold a `/`). */
export function splitAccountKey(key: string, tags: ReadonlySet<string>): {tag: string; authIndex: string} {
	const slash = key.indexOf('/');
	if (slash > 0 && tags.has(key.slice(0, slash))) return {tag: key.slice(0, slash), authIndex: key.slice(slash + 1)};
	return {tag: '', authIndex: key};
}
