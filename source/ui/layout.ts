/**
 * Which panels fit, and how many rows each gets. The frame is always at least one row
 * shorter than the terminal (a frame as tall as the terminal makes Ink clear the screen and
 * the scrollback on every render); when rows run out, lower-priority panels go first.
 *
 * wide    (>= 100 columns and >= 22 rows): Today and 24h stacked on the left, Limits on the
 *         right, Models across the bottom;
 * medium  (>= 60 columns and >= 16 rows): bordered panels stacked;
 * narrow  (otherwise, or --compact): the essentials as plain lines, for a tmux side-pane.
 */
export type LayoutMode = 'wide' | 'medium' | 'narrow';

export type Layout = {
	mode: LayoutMode;
	width: number;
	/** Rows the frame may use. */
	height: number;
	alertLines: number;
	limitRows: number;
	/** Lines inside the Accounts panel (its header included); 0: no panel (narrow, or no room). */
	accountRows: number;
	modelRows: number;
	sparkline: boolean;
	footer: boolean;
	/** Wide mode: the width of the left column. */
	leftWidth: number;
	/** Wide mode: the height of the row holding Today, 24h and Limits. */
	topRows: number;
};

export type LayoutInput = {
	columns: number;
	rows: number;
	compact: boolean;
	alerts: number;
	/** Gauge lines wanted in the wide and medium layouts, and in a side-pane (one per account there). */
	limits: number;
	limitsNarrow?: number;
	accounts?: number;
	models: number;
};

type Want = {id: string; min: number; max: number; topUp?: number};

/**
 * Gives each section its minimum, in order, while rows last; then tops them up in order (by
 * `topUp` where given, so a section can be placed late but grow early).
 */
export function allocate(budget: number, wants: readonly Want[]): Record<string, number> {
	const got: Record<string, number> = Object.fromEntries(wants.map(w => [w.id, 0]));
	const placed = new Set<string>();
	let left = budget;
	for (const w of wants) {
		if (w.min <= left) {
			got[w.id] = w.min;
			left -= w.min;
			placed.add(w.id);
		}
	}
	const order = wants.map((w, i) => ({w, rank: w.topUp ?? i})).sort((a, b) => a.rank - b.rank);
	for (const {w} of order) {
		if (!placed.has(w.id)) continue;
		const extra = Math.min(w.max - got[w.id]!, left);
		got[w.id] = got[w.id]! + extra;
		left -= extra;
	}
	return got;
}

/** Rows of each fixed block: Today's panel (border included), the 24h panel. */
export const ROWS = {todayWide: 6, todayMedium: 5, todayNarrow: 2, spark: 3} as const;

export function planLayout(input: LayoutInput): Layout {
	const width = Math.max(20, input.columns);
	const height = Math.max(3, input.rows - 1);
	const mode: LayoutMode = input.compact || width < 60 || height < 15 ? 'narrow' : width >= 100 && height >= 21 ? 'wide' : 'medium';
	const alerts = Math.min(input.alerts, 4);
	const base = {mode, width, height, leftWidth: width, topRows: 0};

	const accounts = input.accounts ?? 0;
	// The accounts panel: borders, a header, a row per account (up to eight before the models grow), "… N more".
	const accountWant = (chrome: number) => ({id: 'accounts', min: accounts > 0 ? chrome + 2 : 0, max: accounts > 0 ? chrome + 1 + accounts + (accounts > 8 ? 1 : 0) : 0});

	const limitsNarrow = Math.min(input.limits, input.limitsNarrow ?? input.limits);

	if (mode === 'wide') {
		const top = ROWS.todayWide + ROWS.spark;
		// The Limits panel beside Today and 24h has top - 2 lines; past those it grows the top row.
		const beside = top - 2;
		const got = allocate(height - 1 - top, [
			{id: 'alerts', min: alerts > 0 ? 1 : 0, max: alerts},
			{id: 'models', min: 4, max: 4 + Math.max(1, input.models), topUp: 4},
			{...accountWant(2), topUp: 2},
			{id: 'limits', min: 0, max: Math.max(0, limitsNarrow - beside), topUp: 1},
			{id: 'limitsExtra', min: 0, max: Math.max(0, input.limits - Math.max(beside, limitsNarrow)), topUp: 3},
			{id: 'footer', min: 1, max: 1, topUp: 5},
		]);
		const grown = got['limits']! + got['limitsExtra']!;
		return {
			...base,
			alertLines: got['alerts']!,
			limitRows: Math.min(input.limits, beside + grown),
			accountRows: got['accounts']! > 0 ? got['accounts']! - 2 : 0,
			modelRows: Math.max(1, got['models']! - 3),
			topRows: top + grown,
			sparkline: true,
			footer: got['footer']! > 0,
			leftWidth: Math.min(56, Math.max(44, Math.floor(width * 0.4))),
		};
	}

	const narrow = mode === 'narrow';
	const chrome = narrow ? 1 : 2;
	// A side-pane shows one gauge per account; elsewhere those come first, the other windows after the accounts panel.
	const extra = narrow ? 0 : input.limits - limitsNarrow;
	const got = allocate(height - 1 - (narrow ? ROWS.todayNarrow : ROWS.todayMedium), [
		{id: 'alerts', min: alerts > 0 ? 1 : 0, max: alerts},
		// …plus the "… N more" line when the other windows wait.
		{id: 'limits', min: input.limits > 0 ? chrome + 1 : 0, max: input.limits > 0 ? chrome + limitsNarrow + (extra > 0 ? 1 : 0) : 0},
		{id: 'models', min: chrome + (narrow ? 1 : 2), max: chrome + (narrow ? 0 : 2) + Math.max(1, input.models), topUp: 4},
		...(narrow ? [] : [{...accountWant(2), topUp: 3}]),
		{id: 'limitsExtra', min: 0, max: input.limits > 0 ? Math.max(0, extra - 1) : 0, topUp: 5},
		{id: 'sparkline', min: narrow ? 1 : ROWS.spark, max: narrow ? 1 : ROWS.spark},
		{id: 'footer', min: 1, max: 1},
	]);
	const limitLines = got['limits']! > 0 ? got['limits']! - chrome + got['limitsExtra']! : 0;
	return {
		...base,
		alertLines: got['alerts']!,
		limitRows: limitLines,
		accountRows: (got['accounts'] ?? 0) > 0 ? got['accounts']! - 2 : 0,
		modelRows: got['models']! > 0 ? got['models']! - chrome - (narrow ? 0 : 1) : 0,
		sparkline: got['sparkline']! > 0,
		footer: got['footer']! > 0,
	};
}
