import {describe, expect, it} from 'vitest';
import {createLogger, humanSink, jsonLineSink} from '../../source/runtime/logger.js';

const OSC52 = 'evil\u001b]52;c;cm0gLXJmIH4=\u0007';

describe('log sinks', () => {
	it('write outside text in log lines shown (stderr) or escaped (JSON lines), never raw, and never a secret', () => {
		const human: string[] = [];
		const lines: string[] = [];
		for (const [sink, out] of [[humanSink(s => human.push(s)), human], [jsonLineSink(s => lines.push(s)), lines]] as const) {
			const logger = createLogger({level: 'debug', sink, secrets: ['the-management-key'], now: () => 0});
			logger.warn(`skipped ${OSC52}`, {model: OSC52, field: 'row\roverwrite', detail: {k: '\u009b2J'}, why: 'bad the-management-key'});
			expect(out.join('')).not.toMatch(/[\u001b\u0007\r\u0080-\u009f]|the-management-key/);
		}
		expect(human[0]).toBe('warn: skipped evil␛]52;c;cm0gLXJmIH4=␇ (model=evil␛]52;c;cm0gLXJmIH4=␇ field=row␍overwrite detail={"k":"\\u009b2J"} why=bad [redacted])\n');
		expect(JSON.parse(lines[0]!)).toEqual({time: '1970-01-01T00:00:00.000Z', level: 'warn', msg: `skipped ${OSC52}`, model: OSC52, field: 'row\roverwrite', detail: {k: '\u009b2J'}, why: 'bad [redacted]'});
	});
});
