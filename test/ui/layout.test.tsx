import {renderToString} from 'ink';
import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {Dashboard} from '../../source/ui/components/dashboard.js';
import {allocate, planLayout} from '../../source/ui/layout.js';
import {officialGauges} from '../../source/ui/view-model.js';
import {ACCOUNTS, GAUGES, MODELS, NOW, snapshot, status} from '../support/ui-fixtures.js';

describe('allocate', () => {
	it('places sections whole while rows last, grows placed ones, and skips the later steps of one that did not fit', () => {
		expect(allocate(10, [{id: 'a', place: 2}, {id: 'b', place: 5}, {id: 'a', grow: 2}, {id: 'c', place: 4}, {id: 'b', grow: 9}])).toEqual({a: 4, b: 6, c: 0});
		expect(allocate(3, [{id: 'a', place: 2}, {id: 'b', place: 2}, {id: 'b', grow: 1}, {id: 'c', place: 1}])).toEqual({a: 2, b: 0, c: 1});
	});
});

describe('planLayout', () => {
	const input = {compact: false, alerts: 0, limits: 3, models: 4};
	it('picks the mode from the size, and --compact forces narrow', () => {
		expect(planLayout({...input, columns: 200, rows: 50}).mode).toBe('wide');
		expect(planLayout({...input, columns: 100, rows: 30}).mode).toBe('wide');
		expect(planLayout({...input, columns: 100, rows: 22}).mode).toBe('wide');
		expect(planLayout({...input, columns: 99, rows: 22}).mode).toBe('medium');
		expect(planLayout({...input, columns: 80, rows: 24}).mode).toBe('medium');
		// Bordered panels need 22 rows to show a gauge and a model each with their "… N more".
		expect(planLayout({...input, columns: 100, rows: 21}).mode).toBe('narrow');
		expect(planLayout({...input, columns: 160, rows: 39}).full).toBe(false);
		expect(planLayout({...input, columns: 160, rows: 40})).toMatchObject({mode: 'wide', full: true});
		expect(planLayout({...input, columns: 59, rows: 40}).mode).toBe('narrow');
		expect(planLayout({...input, columns: 200, rows: 50, compact: true}).mode).toBe('narrow');
	});

	it('drops the lowest-priority parts first when rows run out', () => {
		const roomy = planLayout({...input, columns: 40, rows: 20});
		expect(roomy).toMatchObject({limitRows: 3, modelRows: 4, sparkline: true, footer: true});
		// Short on rows the footer goes first; a list that does not fit whole with its "… N more" line goes after the gauges.
		const tight = planLayout({...input, columns: 40, rows: 9});
		expect(tight).toMatchObject({limitRows: 3, modelRows: 0, sparkline: true, footer: false});
		const cut = planLayout({...input, models: 8, columns: 40, rows: 14});
		// The top three models and the "… 5 more" line under them.
		expect(cut).toMatchObject({limitRows: 3, modelRows: 4, sparkline: true, footer: false});
		const tiny = planLayout({...input, columns: 40, rows: 5});
		expect(tiny).toMatchObject({limitRows: 0, modelRows: 0, sparkline: true, footer: false});
	});
});

describe('Dashboard frame', () => {
	const sizes: Array<[number, number]> = [];
	for (const columns of [20, 32, 40, 59, 60, 80, 99, 100, 120, 160, 200]) for (const rows of [4, 6, 8, 10, 14, 15, 20, 21, 24, 30, 45, 50]) sizes.push([columns, rows]);

	it.each([
		['no alerts', status()],
		['an error and a warning', status({lastError: {message: 'Cannot reach CPA at http://localhost:8317: connection refused. Is CLIProxyAPI running, and is CLIPROXY_URL right?', kind: 'unreachable', at: NOW}, warnings: ['usage statistics are disabled in CPA, so it records nothing: set usage-statistics-enabled: true']})],
	])('is always shorter than the terminal and no wider (%s)', (_label, s) => {
		for (const [columns, rows] of sizes) {
			for (const [data, gauges] of [[snapshot(), []], [snapshot(), GAUGES], [snapshot({accounts: ACCOUNTS}), [...officialGauges(ACCOUNTS), ...GAUGES]]] as const) {
				const frame = renderToString(<Dashboard columns={columns} rows={rows} compact={false} status={s} server={null} now={NOW} data={data} gauges={gauges} ui={{period: 'today', sort: 'cost', help: false}} />, {columns});
				const lines = frame.split('\n');
				expect(lines.length, `${columns}x${rows}`).toBeLessThanOrEqual(rows - 1);
				expect(Math.max(...lines.map(l => stringWidth(l))), `${columns}x${rows}`).toBeLessThanOrEqual(columns);
				expect(frame, `${columns}x${rows}`).toContain('$12.34');
			}
		}
	});

	it('keeps the essentials in a 40x20 side-pane: cost, top models, every gauge', () => {
		const frame = renderToString(<Dashboard columns={40} rows={20} compact={false} status={status()} server={null} now={NOW} data={snapshot()} gauges={GAUGES} ui={{period: 'today', sort: 'cost', help: false}} />, {columns: 40});
		for (const text of ['$12.34 today', 'claude-sonnet-4-5-20…', 'Gemini daily $', 'Claude Max 5h', 'Codex weekly', 'q quit']) expect(frame).toContain(text);
	});

	it('gives a 40-column pane every word of the CPA-unreachable error', () => {
		const message = 'Cannot reach CPA at http://127.0.0.1:18399: connection refused. Is CLIProxyAPI running, and is CLIPROXY_URL right?';
		const s = status({lastError: {message, kind: 'unreachable', at: NOW}});
		const frame = renderToString(<Dashboard columns={40} rows={20} compact={false} status={s} server={null} now={NOW} data={snapshot()} gauges={GAUGES} ui={{period: 'today', sort: 'cost', help: false}} />, {columns: 40});
		expect(frame.replace(/\s+/g, ' ')).toContain(message);
	});

	it('shows the accounts panel when wide or medium, every account when there is room', () => {
		const frame = (columns: number, rows: number) =>
			renderToString(<Dashboard columns={columns} rows={rows} compact={false} status={status()} server={null} now={NOW} data={snapshot({accounts: ACCOUNTS})} gauges={[...officialGauges(ACCOUNTS), ...GAUGES]} ui={{period: 'today', sort: 'cost', help: false}} />, {columns});
		for (const [columns, rows] of [[160, 45], [120, 35], [80, 40]] as const) {
			expect(frame(columns, rows), `${columns}x${rows}`).toMatch(/╭─ Accounts · today · 5 · 1 cooling down ─+╮/);
			for (const a of ACCOUNTS) expect(frame(columns, rows), `${columns}x${rows}`).toContain(a.label);
		}
		// Short on rows, a medium frame keeps the panel with the worst account and says how many more.
		expect(frame(80, 36)).toMatch(/carol@example\.com[^\n]*cooling[\s\S]*… 3 more \(cliproxy-usage accounts\)/);
		const side = renderToString(<Dashboard columns={40} rows={20} compact={false} status={status()} server={null} now={NOW} data={snapshot({accounts: ACCOUNTS})} gauges={[...officialGauges(ACCOUNTS), ...GAUGES]} ui={{period: 'today', sort: 'cost', help: false}} />, {columns: 40});
		expect(side).not.toContain('Accounts ·');
		for (const title of ['carol 5h', 'alice 5h', 'codex-bob 5h']) expect(side).toContain(title);
	});

	it('lays Today and Limits side by side when wide, and shows every model', () => {
		const frame = renderToString(<Dashboard columns={160} rows={45} compact={false} status={status()} server={null} now={NOW} data={snapshot()} gauges={GAUGES} ui={{period: 'today', sort: 'cost', help: false}} />, {columns: 160});
		const row = frame.split('\n')[1]!;
		expect(row).toMatch(/^╭─ Today ─+╮╭─ Limits · ◆ official ◇ yours ─+╮$/);
		for (const m of MODELS) expect(frame).toContain(m.model);
	});
});
