/** Display formatting shared by the TUI, reports and `--once`. */

// toLocaleString with options builds a new formatter on every call (~35 µs each).
const USD = new Intl.NumberFormat('en-US', {minimumFractionDigits: 2, maximumFractionDigits: 2});
const INT = new Intl.NumberFormat('en-US', {maximumFractionDigits: 0});

export function formatUsd(value: number): string {
	if (value !== 0 && Math.abs(value) < 0.01) return `$${value.toFixed(4)}`;
	return `$${USD.format(value)}`;
}

/** 1234567 → "1,234,567". */
export function formatInt(value: number): string {
	return INT.format(value);
}

/** 950 → "950", 12_300 → "12.3k", 4_560_000 → "4.56M". */
export function formatTokens(value: number): string {
	const abs = Math.abs(value);
	if (abs < 1000) return String(value);
	const [div, unit] = abs >= 1e9 ? [1e9, 'B'] : abs >= 1e6 ? [1e6, 'M'] : [1e3, 'k'];
	const scaled = value / div;
	const digits = Math.abs(scaled) >= 100 ? 0 : Math.abs(scaled) >= 10 ? 1 : 2;
	return `${Number(scaled.toFixed(digits))}${unit}`;
}

/** 45_000 → "45s", 754_000 → "12m 34s", 8_040_000 → "2h 14m", 200_000_000 → "2d 7h". */
export function formatDuration(ms: number): string {
	const s = Math.max(0, Math.round(ms / 1000));
	if (s < 60) return `${s}s`;
	const m = Math.floor(s / 60);
	if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
	const h = Math.floor(m / 60);
	if (h < 48) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
	return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** "just now", "12s ago", "3m 04s ago". */
export function formatAge(ms: number): string {
	return ms < 1500 ? 'just now' : `${formatDuration(ms)} ago`;
}

/** 0.4236 → "42%", 0.004 → "0.4%", null → "–". */
export function formatPercent(ratio: number | null): string {
	if (ratio === null || !Number.isFinite(ratio)) return '–';
	const p = ratio * 100;
	return p !== 0 && Math.abs(p) < 1 ? `${p.toFixed(1)}%` : `${Math.round(p)}%`;
}

/**
 * The compact form for tight lines, as precise as is worth reading: "45s", "12m", "2h13m",
 * then whole hours from ten hours ("32h"), "4d0h" from two days.
 */
export function formatShortDuration(ms: number): string {
	const s = Math.max(0, Math.round(ms / 1000));
	if (s < 60) return `${s}s`;
	const m = Math.floor(s / 60);
	if (m < 60) return `${m}m`;
	const h = Math.floor(m / 60);
	if (h < 10) return `${h}h${String(m % 60).padStart(2, '0')}m`;
	if (h < 48) return `${h}h`;
	return `${Math.floor(h / 24)}d${h % 24}h`;
}

/**
 * Milliseconds until `formatShortDuration` of a countdown that now has `ms` left shows
 * something else (Infinity once it reads "0s"): the dashboard renders then, not on a timer.
 */
export function shortDurationChangesIn(ms: number): number {
	const shown = Math.round(ms / 1000);
	if (shown <= 0) return Infinity;
	const unit = shown < 60 ? 1 : shown < 36_000 ? 60 : 3600;
	// The text changes once the rounded seconds fall below the current unit's boundary.
	const boundary = Math.floor(shown / unit) * unit - 0.5;
	return Math.max(1, Math.floor(ms - boundary * 1000) + 1);
}

/** 512 → "512 B", 1_536 → "1.5 KiB", 12_884_901_888 → "12 GiB". */
export function formatBytes(bytes: number): string {
	const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
	let value = bytes;
	let unit = 0;
	while (Math.abs(value) >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}
	return unit === 0 ? `${value} B` : `${Number(value.toFixed(value >= 100 ? 0 : 1))} ${units[unit]}`;
}

/** The one mark for a figure that includes estimated costs, in every view. */
export const ESTIMATE_MARK = '~';

/** `~$1.23` when any of the requests behind the cost are estimated, else `$1.23`. */
export function formatEstimatedUsd(usd: number, estimatedRequests: number): string {
	return `${estimatedRequests > 0 ? ESTIMATE_MARK : ''}${formatUsd(usd)}`;
}

/** The footnote for the mark, with how many requests it covers. */
export function estimateNote(requests: number): string {
	return `${ESTIMATE_MARK} includes ${formatInt(Math.round(requests))} request${Math.round(requests) === 1 ? '' : 's'} with estimated costs: a model missing from the price list (priced at the default rate), a token total with no split, a CPA version that reports cache writes as reads (a lower bound), or CPA's counters only`;
}
