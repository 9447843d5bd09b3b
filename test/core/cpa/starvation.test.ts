import {describe, expect, it} from 'vitest';
import {judgeStarvation, readServedCount, STARVATION_MIN_SERVED} from '../../../source/core/cpa/starvation.js';

describe('readServedCount (/auth-files)', () => {
	it('sums success and failed over every credential', () => {
		const payload = {files: [{name: 'a.json', success: 10, failed: 2}, {name: 'b.json', success: 5, failed: 0}, {name: 'c.json'}]};
		expect(readServedCount(payload)).toBe(17);
	});

	it('is null when no entry carries counters (files listed from disk) or the shape is wrong', () => {
		expect(readServedCount({files: [{name: 'a.json'}]})).toBeNull();
		expect(readServedCount({files: []})).toBeNull();
		expect(readServedCount([])).toBeNull();
		expect(readServedCount({files: [{success: -1}, {failed: 'many'}]})).toBeNull();
	});
});

describe('judgeStarvation', () => {
	it('needs a first reading, and starts again when CPA restarted (counters went down)', () => {
		expect(judgeStarvation(null, 100, 0)).toEqual({kind: 'baseline'});
		expect(judgeStarvation(100, 40, 0)).toEqual({kind: 'baseline'});
	});

	it('calls it starvation only when CPA served several requests and none arrived', () => {
		expect(judgeStarvation(100, 100 + STARVATION_MIN_SERVED, 0)).toEqual({kind: 'starved', served: STARVATION_MIN_SERVED});
		expect(judgeStarvation(100, 100 + STARVATION_MIN_SERVED - 1, 0)).toEqual({kind: 'ok'});
		expect(judgeStarvation(100, 150, 1)).toEqual({kind: 'ok'});
		expect(judgeStarvation(100, 100, 0)).toEqual({kind: 'ok'});
	});
});
