export type Cell = {text: string; color?: 'green' | 'yellow' | 'red' | 'gray'};

/** A column: its header, how to read a cell, how much it matters (lower goes first), and for text the width it may be cut to. */
export type Column<T> = {key: string; align: 'left' | 'right'; priority: number; cell: (row: T) => Cell; floor?: number};

export type FittedTable = {columns: Array<{key: string; align: 'left' | 'right'; width: number}>; rows: Cell[][]};

const len = (text: string) => [...text].length;

function clip(text: string, width: number): string {
	const chars = [...text];
	return chars.length <= width ? text : `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}

/**
 * The table for `width` columns (one space between columns): every column at its natural
 * width when that fits; otherwise the texts are cut (the widest first, never below their
 * floor) when that is enough, and the least important columns go until it is.
 */
export function fitColumns<T>(columns: readonly Column<T>[], data: readonly T[], width: number): FittedTable {
	let cols = [...columns];
	const all = data.map(row => columns.map(c => c.cell(row)));
	const natural = columns.map((c, i) => Math.max(len(c.key), ...all.map(r => len(r[i]!.text))));
	const index = (c: Column<T>) => columns.indexOf(c);
	const total = (list: readonly Column<T>[]) => list.reduce((sum, c) => sum + natural[index(c)]!, 0) + list.length - 1;
	const slack = (list: readonly Column<T>[]) => list.reduce((sum, c) => sum + (c.floor === undefined ? 0 : Math.max(0, natural[index(c)]! - Math.max(c.floor, len(c.key)))), 0);
	while (cols.length > 1 && total(cols) - width > slack(cols)) {
		const low = cols.reduce((a, b) => (b.priority < a.priority ? b : a));
		cols = cols.filter(c => c !== low);
	}
	const widths = cols.map(c => natural[index(c)]!);
	let over = widths.reduce((a, b) => a + b, 0) + cols.length - 1 - width;
	while (over > 0) {
		let widest = -1;
		cols.forEach((c, i) => {
			if (c.floor === undefined || widths[i]! <= Math.max(c.floor, len(c.key))) return;
			if (widest < 0 || widths[i]! > widths[widest]!) widest = i;
		});
		if (widest < 0) break;
		widths[widest]!--;
		over--;
	}
	return {
		columns: cols.map((c, i) => ({key: c.key, align: c.align, width: widths[i]!})),
		rows: all.map(r => cols.map((c, i) => ({...r[index(c)]!, text: clip(r[index(c)]!.text, widths[i]!)}))),
	};
}

/** A cell's text padded to its column. */
export function padCell(text: string, column: {align: 'left' | 'right'; width: number}): string {
	const fill = ' '.repeat(Math.max(0, column.width - len(text)));
	return column.align === 'right' ? fill + text : text + fill;
}
