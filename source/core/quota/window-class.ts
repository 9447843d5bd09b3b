/** Names for windows by length: 300 min is `5h`, 10080 `7d` (weekly), 28–31 days `30d` (monthly). */
export function windowIdForMinutes(minutes: number): string {
	if (minutes === 10_080) return '7d';
	if (minutes >= 40_320 && minutes <= 44_640) return '30d';
	if (minutes % 1440 === 0) return `${minutes / 1440}d`;
	if (minutes % 60 === 0) return `${minutes / 60}h`;
	return `${minutes}m`;
}

/** The label people know a window by: `weekly` for 7d, `monthly` for 30d, else the id (`5h`). */
export function windowLabel(id: string): string {
	if (id === '7d') return 'weekly';
	if (id === '30d') return 'monthly';
	return id;
}

/** A window id's length in minutes (`5h` → 300), or null when the id does not say. */
export function minutesOfWindowId(id: string): number | null {
	const m = /^(\d+)([mhd])(?:_|$)/.exec(id);
	if (!m) return null;
	const n = Number(m[1]);
	return m[2] === 'm' ? n : m[2] === 'h' ? n * 60 : n === 30 ? 43_800 : n * 1440;
}

/**
 * A Codex limit family's short name: the last word of its display name when that is a plain
 * word (`GPT-5.3-Codex-Spark` → `Spark`), else the name as given.
 */
export function familyLabel(name: string): string {
	const last = name.split(/[-\s]/).at(-1) ?? name;
	return /^[A-Za-z]{3,20}$/.test(last) ? last : name;
}
