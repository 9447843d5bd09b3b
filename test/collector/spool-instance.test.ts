import {describe, expect, it} from 'vitest';
import {readSpoolFile} from '../../source/collector/spool.js';

describe('spool lines carry the instance tag', () => {
	it('reads pages and intents with a tag and without one (the first CPA\'s, and files written before several CPAs)', () => {
		const a = '[{"x":1}]';
		const b = '[{"y":2},{"y":3}]';
		const file = `I 1 queue 500 10 laptop\nP 1 queue ${a.length} laptop\n${a}\nI 2 queue 500 20\nP 2 queue ${b.length}\n${b}\nI 3 resp 100 30 lab\n`;
		expect(readSpoolFile(Buffer.from(file))).toEqual({
			pages: [
				{id: 1, kind: 'queue', payload: a, instance: 'laptop'},
				{id: 2, kind: 'queue', payload: b, instance: ''},
			],
			intents: [{kind: 'resp', requested: 100, at: 30, instance: 'lab'}],
			torn: false,
		});
	});
});
