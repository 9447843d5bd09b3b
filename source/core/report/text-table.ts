/**
 * Box-drawn tables in the look ccusage users know: aligned columns, a rule under the header
 * and above the total row. A cell may hold several lines. When the table is wider than the
 * terminal, the columns with the lowest priority go first; the first column always stays.
 */
export type TableColumn = {
	header: string;
	align: 'left' | 'right';
	/** Higher survives longer in a narrow terminal. */
	priority: number;
	/** Longer lines are cut with "…". */
	maxWidth?: number;
};

export type TableOptions = {
	/** Terminal width; undefined means no limit (output piped to a file). */
	maxWidth?: number;
	/** A last row set off by a rule, e.g. the totals. */
	total?: readonly string[];
};

export type RenderedTable = {text: string; hidden: string[]};

export function renderTable(columns: readonly TableColumn[], rows: ReadonlyArray<readonly string[]>, options: TableOptions = {}): RenderedTable {
	const all = columns.map((c, i) => ({...c, index: i}));
	const cellLines = (row: readonly string[], i: number, max: number | undefined) => (row[i] ?? '').split('\n').map(line => clip(line, max));
	const widthOf = (c: (typeof all)[number]) => {
		let w = width(c.header);
		for (const row of [...rows, ...(options.total ? [options.total] : [])]) {
			for (const line of cellLines(row, c.index, c.maxWidth)) w = Math.max(w, width(line));
		}
		return w;
	};
	let visible = all.map(c => ({...c, width: widthOf(c)}));
	const total = () => visible.reduce((sum, c) => sum + c.width + 3, 1);
	const hidden: string[] = [];
	while (options.maxWidth !== undefined && total() > options.maxWidth && visible.length > 1) {
		const drop = visible.slice(1).reduce((low, c) => (c.priority < low.priority ? c : low));
		hidden.push(drop.header);
		visible = visible.filter(c => c !== drop);
	}

	const rule = (left: string, mid: string, right: string) => `${left}${visible.map(c => '─'.repeat(c.width + 2)).join(mid)}${right}`;
	const line = (cells: readonly string[]) => `│${visible.map((c, i) => ` ${pad(cells[i] ?? '', c.width, c.align)} `).join('│')}│`;
	const block = (row: readonly string[]) => {
		const cells = visible.map(c => cellLines(row, c.index, c.maxWidth));
		const height = Math.max(1, ...cells.map(c => c.length));
		return Array.from({length: height}, (_, k) => line(cells.map(c => c[k] ?? '')));
	};
	const multiLine = rows.some(row => visible.some(c => (row[c.index] ?? '').includes('\n')));
	const out = [rule('┌', '┬', '┐'), line(visible.map(c => c.header)), rule('├', '┼', '┤')];
	rows.forEach((row, i) => {
		if (i > 0 && multiLine) out.push(rule('├', '┼', '┤'));
		out.push(...block(row));
	});
	if (options.total) out.push(rule('├', '┼', '┤'), ...block(options.total));
	out.push(rule('└', '┴', '┘'));
	return {text: `${out.join('\n')}\n`, hidden};
}

/** Display width in terminal cells; wide (CJK) characters count two. */
export function width(text: string): number {
	let w = 0;
	for (const ch of text) w += isWide(ch.codePointAt(0)!) ? 2 : 1;
	return w;
}

function isWide(cp: number): boolean {
	return (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1faff) || (cp >= 0x20000 && cp <= 0x3fffd);
}

function clip(text: string, max: number | undefined): string {
	if (max === undefined || width(text) <= max) return text;
	let out = '';
	for (const ch of text) {
		if (width(out + ch) > max - 1) break;
		out += ch;
	}
	return `${out}…`;
}

function pad(text: string, w: number, align: 'left' | 'right'): string {
	const fill = ' '.repeat(Math.max(0, w - width(text)));
	return align === 'right' ? fill + text : text + fill;
}
