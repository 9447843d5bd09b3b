import type {GaugeView} from './view-model.js';

/**
 * The gauges a Limits panel of `rows` lines shows, in the order it shows them: the providers'
 * own windows first (accounts worst first, each account's tightest window first), then the
 * user's own limits, most used first. When rows run short, each account's tightest window and
 * the user's limits stay longest, and a line says how many more there are; a side-pane
 * (`narrow`) keeps one line per account, its tightest window.
 */
export function gaugeRows(gauges: readonly GaugeView[], rows: number, narrow: boolean): {shown: GaugeView[]; hidden: number} {
	const official = gauges.filter(g => g.kind === 'official' && (!narrow || g.tightest));
	const yours = gauges.filter(g => g.kind === 'yours').sort((a, b) => b.ratio - a.ratio);
	const all = [...official, ...yours];
	if (all.length <= rows) return {shown: all, hidden: 0};
	// With room for one row, the most important gauge beats a "… N more" line.
	const room = rows >= 2 ? rows - 1 : rows;
	const rank = (g: GaugeView) => (g.kind === 'official' ? (g.tightest ? 0 : 2) : 1);
	const keep = new Set(
		all
			.map((g, i) => ({g, i}))
			.sort((a, b) => rank(a.g) - rank(b.g) || a.i - b.i)
			.slice(0, room)
			.map(x => x.g),
	);
	const shown = all.filter(g => keep.has(g));
	return {shown, hidden: all.length - shown.length};
}
