/**
 * `X-CPA-VERSION` is `7.2.140` on release builds, `v7.2.140` on Docker images and `dev` on
 * development builds.
 */
export type CpaVersion = {major: number; minor: number; patch: number; raw: string} | {dev: true; raw: string};

export function parseCpaVersion(header: string | null | undefined): CpaVersion | null {
	if (!header) return null;
	const raw = header.trim();
	const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(raw);
	if (m) return {major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), raw};
	return {dev: true, raw};
}

export type BackendName = 'queue' | 'resp' | 'legacy';

/**
 * What a version tells us about the usage API:
 * - `legacy`: v6.0–v6.9.x, cumulative `/usage`;
 * - `queue`: v6.10.8+ and v7, `/usage-queue` (and RESP);
 * - `resp-only`: v6.10.0–v6.10.7, no HTTP usage pull at all;
 * - `probe`: dev builds or no header; decide by asking for `/usage`.
 */
export type VersionVerdict = 'legacy' | 'queue' | 'resp-only' | 'probe';

export function verdictForVersion(version: CpaVersion | null): VersionVerdict {
	if (!version || 'dev' in version) return 'probe';
	const {major, minor, patch} = version;
	if (major < 6) return 'legacy';
	if (major > 6) return 'queue';
	if (minor < 10) return 'legacy';
	if (minor === 10 && patch < 8) return 'resp-only';
	return 'queue';
}

export function formatCpaVersion(version: CpaVersion | null): string {
	return version ? version.raw : 'unknown';
}

/** At least `min` (`[7, 1, 44]`); dev builds and an unknown version count as new enough, to be probed. */
export function atLeast(version: CpaVersion | null, min: readonly [number, number, number]): boolean {
	if (!version || 'dev' in version) return true;
	const {major, minor, patch} = version;
	return major !== min[0] ? major > min[0] : minor !== min[1] ? minor > min[1] : patch >= min[2];
}

/** CPA's RESP `errors` channel arrived in v7.1.44. */
export const ERRORS_CHANNEL_SINCE = [7, 1, 44] as const;

/** RESP `SUBSCRIBE usage` arrived in v7.0.7: v6.10.x and v7.0.0–7.0.6 answer it `unknown command`. */
export const SUBSCRIBE_SINCE = [7, 0, 7] as const;

/** Whether SUBSCRIBE may be sent; dev builds and an unknown version are tried (and fall back on `unknown command`). */
export function hasSubscribe(version: CpaVersion | null): boolean {
	return atLeast(version, SUBSCRIBE_SINCE);
}
