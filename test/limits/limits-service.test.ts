import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {EventBus} from '../../source/collector/event-bus.js';
import {LimitInputError, type LimitInput} from '../../source/core/limits/input.js';
import type {LimitStatus} from '../../source/core/limits/types.js';
import {readQueueRecord} from '../../source/core/cpa/queue-record.js';
import type {Pricer} from '../../source/core/cpa/usage-record.js';
import type {Zone} from '../../source/core/time/zone.js';
import {LimitsService} from '../../source/limits/limits-service.js';
import {openDatabase} from '../../source/store/database.js';
import {StateStore} from '../../source/store/state.js';
import {UsageWriter} from '../../source/store/usage-writer.js';
import {v7Record, type RecordSpec, readV7} from '../support/fixtures.js';
import {onCleanup, tempDir} from '../support/temp.js';

const H = 3_600_000;
const berlin: Zone = {kind: 'iana', name: 'Europe/Berlin'};
const t = (iso: string) => Date.parse(iso);
/** $1 per million input tokens; a model called "mystery" has no price and falls to `_default`. */
const pricer: Pricer = {
	priceRecord: r => ({costUsd: r.tokens.input / 1e6, estimated: r.model === 'mystery', ref: r.model === 'mystery' ? '_default' : r.model}),
	priceTokenTotal: (_m, tokens) => ({costUsd: tokens / 1e6, estimated: true, ref: '_default'}),
};

function setup(zone: Zone = berlin, start = '2026-11-23T10:17:00Z') {
	const db = openDatabase(join(tempDir(), 'c.db'));
	onCleanup(() => db.close());
	const salt = new StateStore(db).salt();
	const writer = new UsageWriter(db, zone, salt, pricer);
	const bus = new EventBus();
	const clock = {now: t(start)};
	const limits = new LimitsService(db, zone, bus, () => clock.now);
	onCleanup(() => limits.dispose());
	const ingest = (...specs: RecordSpec[]) => writer.ingest(specs.map(s => readV7(s, salt)), clock.now);
	const events: Array<{at: number; statuses: unknown[]}> = [];
	bus.on('limits', e => events.push(e));
	return {db, writer, bus, clock, limits, ingest, events};
}

const claudeDaily: LimitInput = {provider: 'Anthropic', tier_name: 'Pro', model_pattern: 'claude', strategy: 'daily', token_limit: 100_000, request_limit: 50};

describe('window usage', () => {
	it('counts exactly the matching requests since local midnight, to the millisecond', () => {
		const s = setup();
		s.ingest(
			{at: t('2026-11-22T22:59:59.999Z'), model: 'claude-sonnet-4-5', input: 5000, output: 0}, // 23:59:59.999 Berlin, yesterday
			{at: t('2026-11-22T23:00:00.000Z'), model: 'claude-sonnet-4-5', input: 1000, output: 200},
			{at: t('2026-11-23T03:41:12.345Z'), model: 'Claude-Opus-4-1', provider: '', input: 3000, output: 100},
			{at: t('2026-11-23T09:59:00Z'), model: 'gpt-5-codex', provider: 'codex', input: 7000, output: 10},
			{at: t('2026-11-23T10:16:59.999Z'), model: 'claude-sonnet-4-5', input: 400, output: 40},
			{at: t('2026-11-23T10:17:00.001Z'), model: 'claude-sonnet-4-5', input: 9999, output: 0}, // after now
		);
		const {status} = s.limits.add(claudeDaily);
		expect(status.window_start).toBe(t('2026-11-22T23:00:00Z'));
		expect(status.next_reset).toBe(t('2026-11-23T23:00:00Z'));
		expect(status.usage).toEqual({tokens: 1200 + 3100 + 440, requests: 3, cost_usd: 0.0044, estimated_requests: 0});
		expect(status.tokens).toMatchObject({used: 4740, limit: 100_000, remaining: 95_260, percent_used: 4.74, percent_remaining: 95.26});
		expect(status.requests).toMatchObject({used: 3, remaining: 47, percent_used: 6});
		expect(status).toMatchObject({binding: 'requests', label: '3 / 50 requests', estimated: false, anchored: false});
		// The burn window runs from 09:00 (the previous clock hour) to now, 77 minutes, and holds
		// one matching request: 440 tokens.
		expect(status.burn_window_minutes).toBe(77);
		expect(status.burn_rate_per_hour).toEqual({tokens: 342.86, requests: 0.78, cost_usd: 0.000312});
	});

	it('flags usage priced at _default as estimated', () => {
		const s = setup();
		s.ingest({at: t('2026-11-23T08:00:00Z'), model: 'mystery', input: 100, output: 0});
		const {status} = s.limits.add({...claudeDaily, model_pattern: 'myst'});
		expect(status).toMatchObject({estimated: true, usage: {requests: 1, estimated_requests: 1}});
	});

	it('spreads a legacy counter delta over its interval instead of placing it at one instant', () => {
		const s = setup();
		// 120 requests / 48,000 tokens counted between 22:00 and 02:00 UTC, i.e. 23:00–03:00 Berlin:
		// the daily window (from 23:00 UTC) gets three quarters of it.
		s.writer.ingest([], s.clock.now, batch =>
			s.writer.addCounterDeltas(batch, [{arrayId: 'a', apiLabel: 'POST /v1/messages', model: 'claude-3-5-haiku', requests: 120, tokens: 48_000}], {start: t('2026-11-22T22:00:00Z'), end: t('2026-11-23T02:00:00Z')}, s.clock.now),
		);
		const {status} = s.limits.add({...claudeDaily, request_limit: 1000});
		expect(status.usage).toMatchObject({requests: 90, tokens: 36_000, estimated_requests: 90});
		expect(status.estimated).toBe(true);
	});

	it('gives a rolling window the time its oldest usage ages out as next_reset', () => {
		const s = setup();
		s.ingest(
			{at: t('2026-11-23T05:00:00Z'), model: 'claude-sonnet-4-5', input: 1000},
			{at: t('2026-11-23T06:00:00Z'), model: 'gpt-5-codex', input: 1000}, // not matched
			{at: t('2026-11-23T06:40:30Z'), model: 'claude-sonnet-4-5', input: 2000},
			{at: t('2026-11-23T09:00:00Z'), model: 'claude-sonnet-4-5', input: 4000},
		);
		const {status} = s.limits.add({...claudeDaily, strategy: 'rolling', window_minutes: 300});
		expect(status.window_start).toBe(t('2026-11-23T05:17:00Z'));
		expect(status.usage.requests).toBe(2);
		expect(status.next_reset).toBe(t('2026-11-23T11:40:30Z'));
		s.clock.now = t('2026-11-23T16:00:00Z');
		expect(s.limits.status(status.config.id)!.next_reset).toBeNull();
	});

	it('projects exhaustion at the burn rate of the last hour', () => {
		const s = setup(berlin, '2026-11-23T12:00:00Z');
		// 30k tokens in the last hour, 60k in the day: 40k left at 30k/h runs out at 13:20 UTC.
		s.ingest({at: t('2026-11-23T08:00:00Z'), model: 'claude-x', input: 30_000, output: 0}, {at: t('2026-11-23T11:30:00Z'), model: 'claude-x', input: 30_000, output: 0});
		const {status} = s.limits.add({...claudeDaily, token_limit: 100_000, request_limit: null});
		expect(status).toMatchObject({projection: 'before_reset', projected_exhaustion_at: t('2026-11-23T13:20:00Z'), burn_rate_per_hour: {tokens: 30_000}});
	});
});

describe('reset', () => {
	it('sets the anchor to now, returns the new status, and holds until Monday for a weekly window', () => {
		const s = setup(berlin, '2026-11-25T10:00:00Z'); // Wednesday
		s.ingest({at: t('2026-11-24T10:00:00Z'), model: 'claude-x', input: 1000, output: 0}, {at: t('2026-11-25T09:00:00Z'), model: 'claude-x', input: 2000, output: 0});
		const {status: before} = s.limits.add({...claudeDaily, strategy: 'weekly'});
		expect(before.usage.tokens).toBe(3000);
		s.clock.now = t('2026-11-25T10:30:00Z');
		const after = s.limits.reset(before.config.id)!;
		expect(after).toMatchObject({anchored: true, window_start: t('2026-11-25T10:30:00Z'), usage: {tokens: 0, requests: 0}, percent_used: 0, percent_remaining: 100});
		expect(after.config.reset_anchor_timestamp).toBe(t('2026-11-25T10:30:00Z'));
		expect(s.events.at(-1)!.statuses).toEqual([after]);

		s.clock.now = t('2026-11-29T20:00:00Z'); // Sunday
		s.ingest({at: t('2026-11-27T10:00:00Z'), model: 'claude-x', input: 500, output: 0});
		expect(s.limits.list()[0]).toMatchObject({anchored: true, usage: {tokens: 500}});
		s.clock.now = t('2026-11-29T23:00:00Z'); // Monday 00:00 Berlin
		s.ingest({at: t('2026-11-29T23:00:00Z'), model: 'claude-x', input: 7, output: 0});
		expect(s.limits.list()[0]).toMatchObject({anchored: false, window_start: t('2026-11-29T23:00:00Z'), usage: {tokens: 7}});
	});

	it('returns null for an unknown id and changes nothing', () => {
		const s = setup();
		expect(s.limits.reset(42)).toBeNull();
		expect(s.limits.reset(Number.NaN)).toBeNull();
		expect(s.events).toEqual([]);
	});
});

describe('status persistence and events', () => {
	it('recomputes after every collection pass: upserts rate_limit_status on config_id and emits limits', () => {
		const s = setup();
		const {status} = s.limits.add(claudeDaily);
		s.ingest({at: t('2026-11-23T10:00:00Z'), model: 'claude-x', input: 100, output: 20});
		s.clock.now = t('2026-11-23T10:20:00Z');
		s.bus.emit('pass', {at: s.clock.now, ok: true, durationMs: 3, backend: 'queue', received: 1, inserted: 1, skipped: 0});
		const rows = s.db.prepare('SELECT * FROM rate_limit_status').all() as Array<Record<string, unknown>>;
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({
			config_id: status.config.id,
			used_tokens: 120,
			used_requests: 1,
			remaining_tokens: 99_880,
			remaining_requests: 49,
			binding: 'requests',
			percent_used: 2,
			percent_remaining: 98,
			status_label: '1 / 50 requests',
			window_start: t('2026-11-22T23:00:00Z'),
			next_reset: t('2026-11-23T23:00:00Z'),
			estimated: 0,
			last_updated: s.clock.now,
		});
		const last = s.events.at(-1)!;
		expect(last.at).toBe(s.clock.now);
		expect(JSON.parse(rows[0]!['status_json'] as string)).toEqual(last.statuses[0]);
	});

	it('says nothing while no limit exists, and sends an empty list once the last one goes', () => {
		const s = setup();
		s.bus.emit('pass', {at: s.clock.now, ok: true, durationMs: 1, backend: 'queue', received: 0, inserted: 0, skipped: 0});
		expect(s.events).toEqual([]);
		const {status} = s.limits.add(claudeDaily);
		expect(s.limits.remove(status.config.id)).toBe(true);
		expect(s.events.map(e => e.statuses.length)).toEqual([1, 0]);
		expect(s.db.prepare('SELECT count(*) n FROM rate_limit_status').get()).toEqual({n: 0});
		expect(s.limits.remove(status.config.id)).toBe(false);
	});

	it('reports a failed recompute on the bus without failing the pass', () => {
		const s = setup();
		s.limits.add(claudeDaily);
		const errors: string[] = [];
		s.bus.on('error', e => errors.push(`${e.kind}: ${e.message}`));
		s.db.exec('DROP TABLE rate_limit_status');
		expect(() => s.bus.emit('pass', {at: s.clock.now, ok: true, durationMs: 1, backend: 'queue', received: 1, inserted: 1, skipped: 0})).not.toThrow();
		expect(errors).toEqual([expect.stringMatching(/^limits: rate-limit status not updated: .*rate_limit_status/)]);
	});

	it('recomputes after a pass that stored rows, and otherwise at most every 30 s', () => {
		const s = setup();
		s.limits.add(claudeDaily);
		let events = 0;
		s.bus.on('limits', () => events++);
		const pass = (inserted: number) => s.bus.emit('pass', {at: s.clock.now, ok: true, durationMs: 1, backend: 'queue', received: inserted, inserted, skipped: 0});
		pass(0);
		expect(events).toBe(0);
		pass(3);
		expect(events).toBe(1);
		s.clock.now += 29_000;
		pass(0);
		expect(events).toBe(1);
		s.clock.now += 1_000;
		pass(0);
		expect(events).toBe(2);
	});
});

describe('add', () => {
	it('warns, without refusing, when the pattern matches no model seen so far', () => {
		const s = setup();
		s.ingest({at: t('2026-11-23T08:00:00Z'), model: 'gpt-5-codex', input: 10});
		const weekly = s.limits.add({...claudeDaily, model_pattern: 'gpt-weekly', strategy: 'weekly'});
		expect(weekly.warnings).toEqual([expect.stringContaining('model pattern "gpt-weekly" matches no model seen so far')]);
		expect(s.limits.add({...claudeDaily, model_pattern: 'GPT-5*'}).warnings).toEqual([]);
		expect(s.limits.matchingModels('gpt')).toEqual(['gpt-5-codex']);
		expect(s.limits.configs().map(c => c.model_pattern)).toEqual(['gpt-weekly', 'GPT-5*']);
	});

	it('refuses a bad config with an error naming the field, storing nothing', () => {
		const s = setup();
		const attempt = (input: LimitInput) => {
			try {
				s.limits.add(input);
				return 'stored';
			} catch (error) {
				return error instanceof LimitInputError ? error.field : String(error);
			}
		};
		expect(attempt({...claudeDaily, token_limit: 0})).toBe('token_limit');
		expect(attempt({...claudeDaily, strategy: 'rolling'})).toBe('window_minutes');
		expect(s.limits.configs()).toEqual([]);
	});

	it('keeps statuses JSON-friendly: a round trip changes nothing', () => {
		const s = setup();
		const {status} = s.limits.add({...claudeDaily, cost_limit_usd: 2.5});
		expect(JSON.parse(JSON.stringify(status)) as LimitStatus).toEqual(status);
	});
});

describe('fixed offsets', () => {
	it('count the day from midnight at TIMEZONE_OFFSET_HOURS', () => {
		const s = setup({kind: 'fixed', offsetMinutes: 420}, '2026-11-23T05:00:00Z');
		s.ingest({at: t('2026-11-22T16:59:59Z'), model: 'claude-x', input: 1, output: 0}, {at: t('2026-11-22T17:00:00Z'), model: 'claude-x', input: 2, output: 0});
		const {status} = s.limits.add(claudeDaily);
		expect(status).toMatchObject({window_start: t('2026-11-22T17:00:00Z'), next_reset: t('2026-11-23T17:00:00Z'), usage: {tokens: 2}});
		expect(status.next_reset! - status.window_start).toBe(24 * H);
		expect(status.last_updated - status.window_start).toBe(12 * H);
	});
});
