import {formatUsd} from '../core/report/format.js';

const EIGHTHS = '▁▂▃▄▅▆▇█';

/** A column chart as text: each plot row's axis label and bars, the baseline, the hour labels under it. */
export type ChartText = {rows: Array<{label: string; tick: boolean; bars: string}>; baseline: string; hours: string; labelWidth: number};

/**
 * Cost per hour as columns `rows` high, in eighths of a row, scaled to the peak (a cost above
 * zero shows at least an eighth); the y axis names the peak, its half and $0; the x axis every
 * sixth local hour (`lastHour`: the local hour of the last value, the current one). Fits `width`.
 */
export function costChart(values: readonly number[], width: number, rows: number, lastHour: number): ChartText {
	const peak = Math.max(0, ...values);
	const n = values.length;
	const mid = rows >= 4 ? Math.floor(rows / 2) : -1;
	const midValue = peak * ((rows - mid) / rows);
	const labelWidth = Math.max(formatUsd(peak).length, mid >= 0 ? formatUsd(midValue).length : 0, 2);
	const cell = Math.max(1, Math.min(4, Math.floor((width - labelWidth - 2) / Math.max(1, n))));
	const bar = cell === 1 ? 1 : cell - 1;
	const levels = values.map(v => (peak <= 0 || v <= 0 ? 0 : Math.max(1, Math.round((v / peak) * rows * 8))));
	const out: ChartText['rows'] = [];
	for (let r = 0; r < rows; r++) {
		const base = (rows - 1 - r) * 8;
		const bars = levels.map(e => (e >= base + 8 ? '█' : e > base ? EIGHTHS[e - base - 1]! : ' ').repeat(bar).padEnd(cell)).join('');
		const label = r === 0 ? formatUsd(peak) : r === mid ? formatUsd(midValue) : '';
		out.push({label: label.padStart(labelWidth), tick: label !== '', bars: bars.trimEnd()});
	}
	const hours = Array.from({length: labelWidth + 2 + n * cell}, () => ' ');
	let free = 0;
	for (let i = 0; i < n; i++) {
		const hour = (((lastHour - (n - 1) + i) % 24) + 24) % 24;
		const text = i === n - 1 ? 'now' : hour % 6 === 0 ? `${String(hour).padStart(2, '0')}:00` : '';
		const at = labelWidth + 2 + i * cell;
		if (!text || at < free || at + text.length > width) continue;
		for (let c = 0; c < text.length; c++) hours[at + c] = text[c]!;
		free = at + text.length + 1;
	}
	return {rows: out, baseline: `${'$0'.padStart(labelWidth)} └${'─'.repeat(n * cell)}`, hours: hours.join('').trimEnd(), labelWidth};
}
