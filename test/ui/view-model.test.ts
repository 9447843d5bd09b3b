import {describe, expect, it} from 'vitest';
import {alertLines, wrappedLineCount} from '../../source/ui/view-model.js';

const UNREACHABLE = 'Cannot reach CPA at http://127.0.0.1:18399: connection refused. Is CLIProxyAPI running, and is CLIPROXY_URL right?';

describe('alert line counts', () => {
	it('counts lines at word boundaries, not characters', () => {
		// 114 characters: a division by 40 says 3, but the words need 4 lines.
		expect(wrappedLineCount(`✖ ${UNREACHABLE}`, 40)).toBe(4);
		expect(wrappedLineCount(`✖ ${UNREACHABLE}`, 200)).toBe(1);
		expect(wrappedLineCount('▲ short', 10)).toBe(1);
		// A word longer than the line is cut across lines.
		expect(wrappedLineCount('▲ ' + 'x'.repeat(25), 10)).toBe(3);
	});

	it('adds the prefix and sums the alerts', () => {
		expect(alertLines([{level: 'error', text: UNREACHABLE}, {level: 'warning', text: 'short'}], 40)).toBe(5);
	});
});
