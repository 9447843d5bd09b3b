import {describe, expect, it} from 'vitest';
import {resolveAlertConfig} from '../../../source/core/alerts/alert-config.js';
import {decideCrossings, SAME_WINDOW_SLACK_MS, type Fired} from '../../../source/core/alerts/crossings.js';
import type {AlertSubject} from '../../../source/core/alerts/subjects.js';
import {boundMetricRows, NO_ACCOUNT, OTHER} from '../../../source/core/report/metric-models.js';

const H = 3_600_000;
const subject = (percent: number, windowEnd: number | null, windowMs: number | null = null): AlertSubject => ({kind: 'quota', key: 'quota:x:5h', percent, windowEnd, windowMs, name: 'x', detail: '', resetsAt: windowEnd});
const fired = (...f: Fired[]) => new Map(f.map(x => [x.threshold, x]));

describe('decideCrossings', () => {
	it('fires each crossed threshold once, ascending, holding until the window ends', () => {
		expect(decideCrossings(subject(79.9, 5 * H), [80, 100], fired(), 0)).toEqual({fire: [], extend: []});
		expect(decideCrossings(subject(120, 5 * H), [80, 100], fired(), 0)).toEqual({fire: [{threshold: 80, windowEnd: 5 * H}, {threshold: 100, windowEnd: 5 * H}], extend: []});
		expect(decideCrossings(subject(90, 5 * H), [80, 100], fired({threshold: 80, windowEnd: 5 * H}), H).fire).toEqual([]);
	});

	it('a reset time that drifts a little is the same window (and moves its end); one far later is a new window', () => {
		expect(decideCrossings(subject(90, 5 * H + 60_000), [80], fired({threshold: 80, windowEnd: 5 * H}), H)).toEqual({fire: [], extend: [{threshold: 80, windowEnd: 5 * H + 60_000}]});
		expect(decideCrossings(subject(90, 5 * H + SAME_WINDOW_SLACK_MS + 1), [80], fired({threshold: 80, windowEnd: 5 * H}), H).fire).toEqual([{threshold: 80, windowEnd: 5 * H + SAME_WINDOW_SLACK_MS + 1}]);
		// The fired window ended: the next one fires again.
		expect(decideCrossings(subject(90, 10 * H), [80], fired({threshold: 80, windowEnd: 5 * H}), 6 * H).fire).toHaveLength(1);
	});

	it('a window with no end holds for its length (rolling limits), else a day', () => {
		expect(decideCrossings(subject(90, null, 5 * H), [80], fired(), 1000).fire).toEqual([{threshold: 80, windowEnd: 1000 + 5 * H}]);
		expect(decideCrossings(subject(90, null), [80], fired(), 0).fire).toEqual([{threshold: 80, windowEnd: 24 * H}]);
		expect(decideCrossings(subject(90, null, 5 * H), [80], fired({threshold: 80, windowEnd: 5 * H}), 4 * H).fire).toEqual([]);
	});
});

describe('ALERT_* settings', () => {
	const fail = (field: string, problem: string) => new Error(`${field} ${problem}`);
	it('defaults to 80 and 100 with the bell and no webhook; parses, sorts and turns off', () => {
		expect(resolveAlertConfig({}, fail)).toEqual({webhookUrl: null, thresholds: [80, 100], bell: true});
		expect(resolveAlertConfig({ALERT_THRESHOLDS: '100, 50%,90,50', ALERT_BELL: 'off'}, fail)).toMatchObject({thresholds: [50, 90, 100], bell: false});
		expect(resolveAlertConfig({ALERT_THRESHOLDS: 'off'}, fail).thresholds).toEqual([]);
		expect(resolveAlertConfig({ALERT_WEBHOOK_URL: 'https://ntfy.sh/topic?tpl=1&m={{.message}}#x'}, fail).webhookUrl).toBe('https://ntfy.sh/topic?tpl=1&m={{.message}}');
	});
	it('names the field, and never repeats the webhook URL (it is a credential)', () => {
		expect(() => resolveAlertConfig({ALERT_THRESHOLDS: '80,abc'}, fail)).toThrow('ALERT_THRESHOLDS must be percents');
		expect(() => resolveAlertConfig({ALERT_WEBHOOK_URL: 'hooks.slack.com/services/T0/B0/SECRET'}, fail)).toThrow(/^ALERT_WEBHOOK_URL must be an http\(s\) URL/);
		expect(() => resolveAlertConfig({ALERT_WEBHOOK_URL: 'hooks.slack.com/services/T0/B0/SECRET'}, fail)).not.toThrow(/SECRET/);
		expect(() => resolveAlertConfig({ALERT_WEBHOOK_URL: 'https://u:p@ntfy.sh/t'}, fail)).toThrow('must not contain user:password@');
	});
});

describe('boundMetricRows', () => {
	const row = (model: string, account: string, cost: number) => ({instance: 'localhost:8317', provider: 'p', model, account, cost, requests: 1});
	it('keeps the top models and accounts, folds the rest into (other), and counts what it folded', () => {
		const rows = Array.from({length: 30}, (_, i) => row(`m${i % 6}`, `acct-${i}`, i));
		const {rows: out, folded} = boundMetricRows(rows, {models: 3, accounts: 2});
		expect(folded).toEqual({models: 3, accounts: 28});
		expect(new Set(out.map(r => r.model))).toEqual(new Set(['m5', 'm4', 'm3', OTHER]));
		expect(new Set(out.map(r => r.account))).toEqual(new Set(['acct-29', 'acct-28', OTHER]));
		expect(out.reduce((s, r) => s + r.requests, 0)).toBe(30);
		expect(boundMetricRows([row('m', '', 1)]).rows[0]!.account).toBe(NO_ACCOUNT);
	});
});
