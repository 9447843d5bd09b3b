import {describe, expect, it} from 'vitest';
import {dimensionStatus, limitStatus, sumUsage, type StatusInput} from '../../../source/core/limits/status.js';
import type {LimitConfig, LimitUsage} from '../../../source/core/limits/types.js';

const H = 3_600_000;
const now = Date.parse('2026-11-23T12:00:00Z');
const config = (over: Partial<LimitConfig> = {}): LimitConfig => ({
	id: 1,
	provider: 'Anthropic',
	tier_name: 'Pro',
	model_pattern: 'claude',
	strategy: 'daily',
	window_minutes: null,
	token_limit: 1_000_000,
	request_limit: null,
	cost_limit_usd: null,
	reset_anchor_timestamp: null,
	created_at: 0,
	updated_at: 0,
	...over,
});
const usage = (tokens: number, requests = 0, cost = 0, estimated = 0): LimitUsage => ({tokens, requests, cost_usd: cost, estimated_requests: estimated});
const input = (over: Partial<StatusInput>): StatusInput => ({
	config: config(),
	window: {start: now - 12 * H, anchored: false},
	nextReset: now + 12 * H,
	horizon: now + 12 * H,
	usage: usage(0),
	burn: usage(0),
	burnWindowMs: H,
	now,
	...over,
});

describe('projection at a known burn rate', () => {
	it('runs out at now + remaining / rate when that is before the reset', () => {
		// 400k of 1M used, 60k in the last hour: 600k left at 60k/h is 10 h, the reset is in 12 h.
		const s = limitStatus(input({usage: usage(400_000), burn: usage(60_000)}));
		expect(s.burn_rate_per_hour.tokens).toBe(60_000);
		expect(s.tokens).toEqual({used: 400_000, limit: 1_000_000, remaining: 600_000, percent_used: 40, percent_remaining: 60, burn_rate_per_hour: 60_000, projected_exhaustion_at: now + 10 * H});
		expect(s.projection).toBe('before_reset');
		expect(s.projected_exhaustion_at).toBe(now + 10 * H);
	});

	it('says "not before reset" when the reset comes first', () => {
		const s = limitStatus(input({usage: usage(400_000), burn: usage(60_000), nextReset: now + 8 * H, horizon: now + 8 * H}));
		expect(s.projection).toBe('not_before_reset');
		expect(s.projected_exhaustion_at).toBeNull();
		expect(s.tokens!.projected_exhaustion_at).toBeNull();
	});

	it('scales a shorter burn window to a rate per hour', () => {
		const s = limitStatus(input({usage: usage(400_000), burn: usage(30_000), burnWindowMs: H / 2}));
		expect(s.burn_rate_per_hour.tokens).toBe(60_000);
		expect(s.burn_window_minutes).toBe(30);
		expect(s.projected_exhaustion_at).toBe(now + 10 * H);
	});

	it('takes the earliest exhaustion over the limited dimensions', () => {
		// Requests: 90 of 100 at 20/h run out in 30 min; tokens in 10 h.
		const c = config({request_limit: 100, cost_limit_usd: 50});
		const s = limitStatus(input({config: c, usage: usage(400_000, 90, 5), burn: usage(60_000, 20, 1)}));
		expect(s.requests!.projected_exhaustion_at).toBe(now + H / 2);
		expect(s.cost!.projected_exhaustion_at).toBeNull(); // $45 left at $1/h: 45 h, after the reset
		expect(s.projected_exhaustion_at).toBe(now + H / 2);
		expect(s.binding).toBe('requests');
		expect(s.label).toBe('90 / 100 requests');
	});

	it('is "exhausted" at now once a limit is used up, with percent used past 100', () => {
		const s = limitStatus(input({usage: usage(1_125_000), burn: usage(10)}));
		expect(s.projection).toBe('exhausted');
		expect(s.projected_exhaustion_at).toBe(now);
		expect(s).toMatchObject({percent_used: 112.5, percent_remaining: 0, tokens: {remaining: 0}});
	});

	it('is "idle" with nothing in the burn window', () => {
		const s = limitStatus(input({usage: usage(400_000), burn: usage(0)}));
		expect(s.projection).toBe('idle');
		expect(s.projected_exhaustion_at).toBeNull();
	});
});

describe('status fields', () => {
	it('keeps percent used and percent remaining apart, summing to 100', () => {
		const s = dimensionStatus(123_450, 1_000_000, 0, now, now + H);
		expect(s.percent_used).toBe(12.35);
		expect(s.percent_remaining).toBe(87.65);
		expect(dimensionStatus(1, 3, 0, now, now + H)).toMatchObject({percent_used: 33.33, percent_remaining: 66.67});
	});

	it('labels the binding dimension like the original gauges', () => {
		expect(limitStatus(input({config: config({token_limit: 800_000}), usage: usage(12_300)})).label).toBe('12.3k / 800k tokens');
		const cost = limitStatus(input({config: config({token_limit: null, cost_limit_usd: 10}), usage: usage(5, 1, 1.2)}));
		expect(cost).toMatchObject({binding: 'cost', label: '$1.20 / $10.00', tokens: null, requests: null});
	});

	it('prefers tokens, then requests, then cost when they are equally used', () => {
		const s = limitStatus(input({config: config({request_limit: 10}), usage: usage(100_000, 1)}));
		expect(s.binding).toBe('tokens');
	});

	it('is estimated when any usage in the window is', () => {
		expect(limitStatus(input({usage: usage(10, 1, 0, 1)})).estimated).toBe(true);
		expect(limitStatus(input({usage: usage(10, 1, 0, 0)})).estimated).toBe(false);
	});
});

describe('sumUsage', () => {
	it('sums only the matching models', () => {
		const rows = [
			{model: 'claude-sonnet-4-5', requests: 2, totalTokens: 100, costUsd: 0.1, estimatedRequests: 0},
			{model: 'gpt-5', requests: 5, totalTokens: 1000, costUsd: 1, estimatedRequests: 5},
			{model: 'claude-opus-4-1', requests: 1, totalTokens: 50, costUsd: 0.2, estimatedRequests: 1},
		];
		expect(sumUsage(rows, m => m.startsWith('claude'))).toEqual({tokens: 150, requests: 3, cost_usd: 0.3, estimated_requests: 1});
	});
});
