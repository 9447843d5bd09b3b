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
