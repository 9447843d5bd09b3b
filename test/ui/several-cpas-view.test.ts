import {describe, expect, it} from 'vitest';
import {modelTable, narrowModelTable} from '../../source/ui/model-table.js';
import {statusLineParts} from '../../source/ui/status-text.js';
import {alertsFor} from '../../source/ui/view-model.js';
import {MODELS, NOW, status} from '../support/ui-fixtures.js';

describe('the dashboard with several CPAs', () => {
	const team = status({instance: 'team', lastSuccessAt: NOW - 4_000, nextPollAt: NOW + 1_000});
	const laptop = status({instance: 'laptop', lastError: {message: 'CPA is unreachable', kind: 'unreachable', at: NOW - 2_000}, lastSuccessAt: NOW - 60_000, nextPollAt: NOW + 9_000});

	it('the status line names each CPA with its state, coloured by the worst, with the newest pass', () => {
		const parts = statusLineParts({...team, instances: [team, laptop]}, {url: 'http://127.0.0.1:5001'}, NOW);
		expect(parts).toEqual({health: 'yellow', text: '1/2 CPAs ok · team ok, laptop retrying · polled 4s ago · next in 1s', api: ' · API 127.0.0.1:5001'});
		const stopped = status({instance: 'laptop', stopped: {reason: 'key refused', at: NOW}});
		expect(statusLineParts({...team, instances: [team, stopped]}, null, NOW)).toMatchObject({health: 'red', text: '1/2 CPAs ok · team ok, laptop stopped · polled 4s ago · next in 1s'});
		// One CPA: the line it has always been.
		expect(statusLineParts({...team, instances: [team]}, null, NOW).text).toBe(statusLineParts(team, null, NOW).text);
	});

	it('the model table gets a CPA column when rows name their instance, and none with one CPA', () => {
		const rows = [{...MODELS[0]!, instance: 'team'}, {...MODELS[0]!, instance: 'laptop', costUsd: 1}, {...MODELS[1]!, instance: 'laptop'}];
		const wide = modelTable(rows, 'cost', 100, 10);
		expect(wide.columns.slice(0, 2)).toEqual([{key: 'Model', align: 'left'}, {key: 'CPA', align: 'left'}]);
		expect(wide.rows.map(r => [r['Model'], r['CPA']])).toEqual([
			['claude-sonnet-4-5-20250929', 'team'],
			['gpt-5-codex', 'laptop'],
			['claude-sonnet-4-5-20250929', 'laptop'],
		]);
		expect(modelTable(MODELS, 'cost', 100, 10).columns.map(c => c.key)).not.toContain('CPA');
		expect(narrowModelTable(rows, 'cost', 40, 10).rows.map(r => r['Model'])).toEqual(['team: claude-sonnet-4-5…', 'laptop: gpt-5-codex', 'laptop: claude-sonnet-4…']);
	});

	it('the alert lines say which CPA failed, and say the store once', () => {
		const gap = {from: NOW - 60_000, to: NOW, count: 3, cause: 'retention' as const, message: '3 requests expired in CPA before they were read'};
		const lab = status({instance: 'lab', gaps: [gap], stopped: {reason: 'CPA refused the management key (401)', at: NOW}});
		expect(alertsFor({...team, instances: [team, laptop, lab]}, null)).toEqual([
			{level: 'error', text: 'laptop: CPA is unreachable'},
			{level: 'error', text: 'lab: Collection stopped: CPA refused the management key (401)'},
			{level: 'warning', text: 'lab: 3 requests expired in CPA before they were read'},
		]);
		// One CPA: no names.
		expect(alertsFor(laptop, null)).toEqual([{level: 'error', text: 'CPA is unreachable'}]);
	});
});
