import {describe, expect, it} from 'vitest';
import {alertsHeight, fitAlert, fitAlerts, wrapLines} from '../../source/ui/alert-fit.js';

const UNREACHABLE = 'Cannot reach CPA at http://127.0.0.1:18399: connection refused. Is CLIProxyAPI running, and is CLIPROXY_URL right?';
const TRIGGER = 'CPA answered the usage queue slower than the poll interval for 5 minutes: records may pile up; set COLLECTOR_TRIGGER_POLL_MS=2000 or raise the interval';

describe('alert line counts', () => {
	it('counts lines at word boundaries, not characters', () => {
		// 114 characters: a division by 40 says 3, but the words need 4 lines.
		expect(wrapLines(`✖ ${UNREACHABLE}`, 40)).toHaveLength(4);
		expect(wrapLines(`✖ ${UNREACHABLE}`, 200)).toHaveLength(1);
		// A word longer than the line is cut across lines.
		expect(wrapLines('▲ ' + 'x'.repeat(25), 10)).toHaveLength(3);
	});

	it('adds the mark and sums the alerts', () => {
		expect(alertsHeight([{level: 'error', text: UNREACHABLE}, {level: 'warning', text: 'short'}], 40)).toBe(5);
	});
});

describe('fitAlert', () => {
	it('keeps the fix readable when cut to one line: the start, …, the end', () => {
		const [line] = fitAlert({level: 'warning', text: TRIGGER}, 80, 1);
		expect([...line!].length).toBeLessThanOrEqual(80);
		expect(line).toMatch(/^▲ CPA answered/);
		expect(line).toContain(' … ');
		expect(line).toMatch(/COLLECTOR_TRIGGER_POLL_MS=2000 or raise the interval$/);
	});

	it('keeps the first line and the whole end when given a few lines', () => {
		const lines = fitAlert({level: 'error', text: UNREACHABLE}, 30, 2);
		expect(lines).toHaveLength(2);
		expect(lines[0]).toMatch(/^✖ Cannot reach CPA at…?/);
		expect(lines[1]).toMatch(/CLIPROXY_URL right\?$/);
		for (const l of lines) expect([...l].length).toBeLessThanOrEqual(30);
	});

	it('is the whole wrapped text when it fits', () => {
		expect(fitAlert({level: 'error', text: UNREACHABLE}, 40, 6)).toEqual(wrapLines(`✖ ${UNREACHABLE}`, 40));
	});
});

describe('fitAlerts', () => {
	it('gives every alert a line before any wraps, most urgent first', () => {
		const fitted = fitAlerts([{level: 'error', text: UNREACHABLE}, {level: 'warning', text: TRIGGER}], 40, 3);
		expect(fitted.map(a => a.lines.length)).toEqual([2, 1]);
		expect(fitted[1]!.lines[0]).toMatch(/raise the interval$/);
	});
});
