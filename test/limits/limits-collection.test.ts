import {describe, expect, it} from 'vitest';
import type {LimitStatus} from '../../source/core/limits/types.js';
import {v7Record} from '../support/fixtures.js';
import {collectorFor, count, startStandIn} from '../support/harness.js';

describe('limits with the real collector', () => {
	it('recompute after a collection pass: the new requests show in the status, the table and the event', async () => {
		const cpa = await startStandIn({generation: 'v7'});
		const h = collectorFor(cpa);
		const {status} = h.limits.add({provider: 'Anthropic', tier_name: 'Pro', model_pattern: 'claude', strategy: 'rolling', window_minutes: 60, token_limit: 10_000});
		expect(status.usage.requests).toBe(0);
		const events: Array<{statuses: unknown[]}> = [];
		h.bus.on('limits', e => events.push(e));
		const now = Date.now();
		cpa.enqueue(
			v7Record({at: now - 5000, model: 'claude-sonnet-4-5-20250929', input: 1000, output: 200}),
			v7Record({at: now - 4000, model: 'claude-opus-4-1-20250805', input: 500, output: 50}),
			v7Record({at: now - 3000, model: 'gpt-5-codex', provider: 'codex', input: 9000, output: 0}),
		);
		const pass = await h.collector.trigger();
		expect(pass).toMatchObject({ok: true, inserted: 3});
		expect(events).toHaveLength(1);
		const [after] = events[0]!.statuses as LimitStatus[];
		expect(after).toMatchObject({usage: {requests: 2, tokens: 1750}, tokens: {used: 1750, remaining: 8250, percent_used: 17.5}, label: '1.75k / 10k tokens'});
		expect(count(h, 'SELECT used_tokens AS n FROM rate_limit_status WHERE config_id = ?', status.config.id)).toBe(1750);
		expect(h.limits.list()[0]!.usage).toEqual(after!.usage);
	});
});
