/**
 * Which panels fit, and how many rows each gets. The frame is always at least one row
 * shorter than the terminal (a frame as tall as the terminal makes Ink clear the screen and
 * the scrollback on every render); when rows run out, lower-priority parts go first: the
 * footer, then the accounts panel's and the limits' later rows, the models beyond the top
 * few, then whole panels. A list that is cut always keeps a line saying how many more there are.
 *
 * wide    (>= 100 columns and >= 22 rows): Today and the 24h sparkline stacked on the left,
 *         Limits on the right, Accounts and Models across; `full` (>= 160 columns and >= 40
 *         rows) adds a cost-per-hour chart with axes in place of the sparkline, the latest
 *         requests and latency and success per model, filling the screen;
 * medium  (>= 60 columns and >= 22 rows): bordered panels stacked;
 * narrow  (otherwise, or --compact): the essentials as plain lines, for a tmux side-pane.
 */
export type LayoutMode = 'wide' | 'medium' | 'narrow';

export type Layout = {
	mode: LayoutMode;
	/** Wide with room for the chart, the requests tail and the latency panel. */
	full: boolean;
	width: number;
	/** Rows the frame may use. */
	height: number;
	alertLines: number;
	limitRows: number;
	/** Lines inside the Accounts panel (its header included); 0: no panel (narrow, or no room). */
	accountRows: number;
	/** Lines of the Models panel below its header (a footnote line included); 0: no panel. */
	modelRows: number;
	sparkline: boolean;
	footer: boolean;
	/** Wide mode: the width of the left column. */
	leftWidth: number;
	/** Wide mode: the height of the row holding Today, the chart and Limits. */
	topRows: number;
	/** Full: the chart's plot rows (its axis and labels come on top). */
	chartRows: number;
	/** Full: lines inside the requests tail and the latency panel, their headers included; 0: none. */
	bottomRows: number;
	/** Full: the width of the latency panel (the tail takes the rest). */
	latencyWidth: number;
	/** Full at 190+ columns: Accounts beside Models, as tall as it (accountRows = modelRows + 1); its width, Models the rest. 0: stacked. */
	pairWidth: number;
};

export type LayoutInput = {
	columns: number;
	rows: number;
	compact: boolean;
	/** Lines the alerts take wrapped, and how many alerts there are (each gets a line before any wraps). */
	alerts: number;
	alertCount?: number;
	/** Gauge lines wanted in the wide and medium layouts, and in a side-pane (one per account there). */
	limits: number;
	limitsNarrow?: number;
	accounts?: number;
	models: number;
	/** The models panel has a footnote to show even when nothing is cut (the estimate legend). */
	modelNote?: boolean;
};

export const MIN_FULL = {columns: 160, rows: 40} as const;
/** From this width the full layout puts Accounts beside Models. */
export const PAIR_COLUMNS = 190;

/** Whether this size gets the full wide layout (the requests tail and the latency panel read only then). */
export function isFull(columns: number, rows: number, compact: boolean): boolean {
	return !compact && columns >= MIN_FULL.columns && rows >= MIN_FULL.rows;
}

export function layoutMode(columns: number, rows: number, compact: boolean): LayoutMode {
	const height = rows - 1;
	if (compact || columns < 60 || height < 21) return 'narrow';
	return columns >= 100 ? 'wide' : 'medium';
}

/**
 * One step of a plan: `place` a section with `rows` (all or nothing; 0 places it empty; a
 * section that did not fit takes no later step), or `grow` a placed one by up to `rows`.
 */
export type Step = {id: string; place?: number; grow?: number};

/** Applies the steps in order while rows last. */
export function allocate(budget: number, steps: readonly Step[]): Record<string, number> {
	const got: Record<string, number> = {};
	const placed = new Set<string>();
	const skipped = new Set<string>();
	let left = budget;
	for (const s of steps) {
		got[s.id] ??= 0;
		if (skipped.has(s.id)) continue;
		if (s.place !== undefined) {
			if (s.place <= left) {
				got[s.id]! += Math.max(0, s.place);
				left -= Math.max(0, s.place);
				placed.add(s.id);
			} else skipped.add(s.id);
		} else if (s.grow !== undefined && placed.has(s.id)) {
			const add = Math.max(0, Math.min(s.grow, left));
			got[s.id]! += add;
			left -= add;
		}
	}
	return got;
}

/** Rows of each fixed block: Today's panel (border included), the 24h panel. */
export const ROWS = {todayWide: 6, todayMedium: 5, todayNarrow: 2, spark: 3} as const;

/** Lines a list of `n` items needs to show `shown` of them: a cut list adds its "… N more" line. */
const listLines = (n: number, shown: number) => (shown >= n ? n : Math.max(1, shown) + 1);

export function planLayout(input: LayoutInput): Layout {
	const width = Math.max(20, input.columns);
	const height = Math.max(3, input.rows - 1);
	const mode = layoutMode(input.columns, input.rows, input.compact);
	const full = mode === 'wide' && isFull(input.columns, input.rows, input.compact);
	const alertCount = Math.min(input.alertCount ?? (input.alerts > 0 ? 1 : 0), 4);
	// Alerts wrap in full up to a third of the frame (six lines at least): each says what to do.
	const alertWant = Math.min(input.alerts, Math.max(6, Math.floor(height / 3)));
	const accounts = input.accounts ?? 0;
	const limits = input.limits;
	const limitsNarrow = Math.min(limits, input.limitsNarrow ?? limits);
	// The Models panel's lines below its header: its rows, and the footnote when there is one.
	const note = input.modelNote ? 1 : 0;
	const modelsWant = (top: number) => (input.models <= 0 ? 1 : input.models <= top ? input.models + note : top + 1);
	const accountsWant = (top: number) => 1 + (accounts <= top ? accounts : top + 1);
	const base = {mode, full, width, height, leftWidth: width, topRows: 0, chartRows: 0, bottomRows: 0, latencyWidth: 0, pairWidth: 0};
	const alertSteps: Step[] = [
		{id: 'alerts', place: alertCount},
		{id: 'alerts', grow: alertWant - alertCount},
	];

	if (mode === 'wide') {
		const chartRows = full ? (height >= 47 ? 6 : 5) : 0;
		// Today, then the 24h panel: a sparkline, or the chart (its plot, baseline and hour labels).
		const top = ROWS.todayWide + (full ? 2 + chartRows + 2 : ROWS.spark);
		// The Limits panel beside them has top - 2 lines; past those it grows the top row.
		const beside = top - 2;
		const limitsGrow = (lines: number) => Math.max(0, lines - beside);
		// Side by side, the row holds the taller of the two lists (the models panel has its header below the border, the accounts panel inside).
		const pair = full && accounts > 0 && width >= PAIR_COLUMNS;
		const rowWant = pair ? (top: number) => Math.max(modelsWant(top), accountsWant(top) - 1) : modelsWant;
		const steps: Step[] = [
			...alertSteps,
			{id: 'models', place: 2 + 1 + rowWant(2)},
			...(full ? [{id: 'bottom', place: 5}] : []),
			{id: 'limits', place: 0},
			{id: 'limits', grow: limitsGrow(listLines(limits, limitsNarrow))},
			{id: 'models', grow: rowWant(5) - rowWant(2)},
			...(accounts > 0 && !pair ? [{id: 'accounts', place: 2 + accountsWant(2)}] : []),
			{id: 'models', grow: rowWant(Infinity) - rowWant(5)},
			{id: 'accounts', grow: accountsWant(Infinity) - accountsWant(2)},
			{id: 'limits', grow: limitsGrow(limits) - limitsGrow(listLines(limits, limitsNarrow))},
			{id: 'footer', place: 1},
			...(full ? [{id: 'bottom', grow: Infinity}] : []),
		];
		const got = allocate(height - 1 - top, steps);
		const grown = got['limits']!;
		return {
			...base,
			alertLines: got['alerts']!,
			limitRows: Math.min(limits, beside + grown),
			accountRows: pair ? Math.max(1, got['models']! - 3) + 1 : got['accounts']! > 0 ? got['accounts']! - 2 : 0,
			modelRows: Math.max(1, got['models']! - 3),
			pairWidth: pair ? Math.min(110, Math.floor(width * 0.48)) : 0,
			topRows: top + grown,
			sparkline: true,
			footer: got['footer']! > 0,
			leftWidth: full ? Math.min(100, Math.max(60, Math.floor(width * 0.45))) : Math.min(56, Math.max(44, Math.floor(width * 0.4))),
			chartRows,
			bottomRows: full && got['bottom']! > 0 ? got['bottom']! - 2 : 0,
			latencyWidth: full ? Math.min(76, Math.max(52, Math.floor(width * 0.4))) : 0,
		};
	}

	const narrow = mode === 'narrow';
	const chrome = narrow ? 1 : 2;
	// Bordered models have a header line under the border; a side-pane's title is its chrome.
	const header = narrow ? 0 : 1;
	const narrowModels = (top: number) => (input.models <= 0 ? 1 : input.models <= top ? input.models : top + 1);
	const models = narrow ? narrowModels : modelsWant;
	// The Limits panel shows its first gauge, then three, then each account's tightest window and
	// your own limits (gaugeRows keeps those first), then the rest; a side-pane stops at the tightest.
	const n = narrow ? limitsNarrow : limits;
	const L = (k: number) => listLines(n, Math.min(k, n));
	const limitTargets = [L(1), L(3), Math.max(L(3), L(limitsNarrow)), n];
	const steps: Step[] = [
		...alertSteps,
		...(n > 0 ? [{id: 'limits', place: chrome + limitTargets[0]!}] : []),
		{id: 'models', place: chrome + header + models(1)},
		{id: 'limits', grow: limitTargets[1]! - limitTargets[0]!},
		{id: 'models', grow: models(3) - models(1)},
		{id: 'limits', grow: limitTargets[2]! - limitTargets[1]!},
		{id: 'sparkline', place: narrow ? 1 : ROWS.spark},
		...(!narrow && accounts > 0 ? [{id: 'accounts', place: 2 + accountsWant(2)}] : []),
		{id: 'models', grow: models(Infinity) - models(3)},
		{id: 'limits', grow: limitTargets[3]! - limitTargets[2]!},
		{id: 'accounts', grow: accountsWant(Infinity) - accountsWant(2)},
		{id: 'footer', place: 1},
	];
	const got = allocate(height - 1 - (narrow ? ROWS.todayNarrow : ROWS.todayMedium), steps);
	return {
		...base,
		alertLines: got['alerts']!,
		limitRows: got['limits']! > 0 ? got['limits']! - chrome : 0,
		accountRows: (got['accounts'] ?? 0) > 0 ? got['accounts']! - 2 : 0,
		modelRows: got['models']! > 0 ? got['models']! - chrome - header : 0,
		sparkline: got['sparkline']! > 0,
		footer: got['footer']! > 0,
	};
}
