/** Display formatting shared by the TUI, reports and `--once`. */
export function formatUsd(value: number): string {
	if (value !== 0 && Math.abs(value) < 0.01) return `$${value.toFixed(4)}`;
	return `$${value.toLocaleString('en-US', {minimumFractionDigits: 2, maximumFractionDigits: 2})}`;
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
