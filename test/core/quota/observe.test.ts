import {describe, expect, it} from 'vitest';
import {isQuotaHeader} from '../../../source/core/quota/headers.js';
import {pickQuotaHeaders} from '../../../source/core/quota/signals.js';
import {codexLimitReset, observeResponse} from '../../../source/core/quota/observe.js';
import {
	CLAUDE_200_ALLOWED,
	CLAUDE_200_WARNING,
	CLAUDE_429_REJECTED,
	CLAUDE_API_KEY,
	CLAUDE_FABLE_REJECTED,
	CODEX_WEEKLY_ONLY,
	CODEX_WITH_SPARK,
	lowerBare,
	withNoise,
} from '../../support/quota-captures.js';

const at = Date.parse('2026-11-23T10:00:00Z');
const observe = (provider: string, raw: unknown, statusCode = 200, failBody?: string) => observeResponse({provider, statusCode, headers: pickQuotaHeaders(raw), at, failBody});

describe('the quota header allow-list', () => {
	it('keeps only quota names, in any case', () => {
		for (const name of ['Anthropic-Ratelimit-Unified-7d_oi-Status', 'anthropic-ratelimit-tokens-remaining', 'X-Codex-Bengalfox-Limit-Name', 'x-codex-credits-balance', 'X-Codex-Plan-Type', 'Retry-After', 'X-Codex-Primary-Over-Secondary-Limit-Percent']) {
			expect(isQuotaHeader(name), name).toBe(true);
		}
		for (const name of ['Set-Cookie', 'Anthropic-Organization-Id', 'Request-Id', 'X-Codex-Turn-State', 'Cf-Ray', 'X-Codex-Promo-Message', 'Anthropic-Ratelimit-Secret-Token', 'Authorization']) {
			expect(isQuotaHeader(name), name).toBe(false);
		}
	});

	it('drops cookies and ids, takes the first non-empty value, accepts bare strings', () => {
		const picked = pickQuotaHeaders({...withNoise(CLAUDE_200_WARNING), 'Retry-After': ['', '30', '40']})!;
		expect([...picked.keys()].every(isQuotaHeader)).toBe(true);
		expect(picked.get('retry-after')).toBe('30');
		expect(JSON.stringify([...picked])).not.toMatch(/SECRET|req_|0f1e2d3c|Turn-State/i);
		expect(pickQuotaHeaders(lowerBare(CLAUDE_200_WARNING))).toEqual(pickQuotaHeaders(CLAUDE_200_WARNING));
		expect(pickQuotaHeaders({'Content-Type': ['x']})).toBeNull();
		expect(pickQuotaHeaders(null)).toBeNull();
		expect(pickQuotaHeaders(['not', 'a', 'map'])).toBeNull();
	});
});

describe('Anthropic unified windows', () => {
	it('reads a healthy 200: 5h and weekly at 0 %, reset in epoch seconds', () => {
		const o = observe('claude', CLAUDE_200_ALLOWED);
		expect(o.windows).toEqual([
			{id: '5h', label: '5h', usedPercent: 0, resetsAt: 1777500000_000, windowMinutes: 300, status: 'allowed', observedAt: at, source: 'headers'},
			{id: '7d', label: 'weekly', usedPercent: 0, resetsAt: 1777561200_000, windowMinutes: 10_080, status: 'allowed', observedAt: at, source: 'headers'},
		]);
		expect(o.cooldownUntil).toBeNull();
	});

	it.each([
		['canonical lists', CLAUDE_200_WARNING],
		['lower-case bare strings', lowerBare(CLAUDE_200_WARNING)],
	])('reads the weekly warning with its extra Sonnet window (%s): utilisation is a fraction', (_form, raw) => {
		const o = observe('claude', raw);
		expect(o.windows.map(w => [w.id, w.label, w.usedPercent, w.resetsAt, w.status])).toEqual([
			['5h', '5h', 35, 1777420800_000, 'allowed'],
			['7d', 'weekly', 85, 1777575600_000, 'warning'],
			['7d_sonnet', 'weekly Sonnet', 7, 1777575600_000, 'allowed'],
		]);
	});

	it('reads a 429: the 5h window past 100 % and rejected, the account cooling down until the later of its reset and Retry-After', () => {
		const o = observe('claude', CLAUDE_429_REJECTED, 429);
		expect(o.windows.find(w => w.id === '5h')).toMatchObject({usedPercent: 113, status: 'rejected', resetsAt: 1777500000_000});
		expect(o.windows.find(w => w.id === '7d')).toMatchObject({usedPercent: 9, status: 'allowed'});
		expect(o.cooldownUntil).toBe(Math.max(1777500000_000, at + 3_600_000));
	});

	it('a Fable-only rejection refuses the model, not the account', () => {
		const o = observe('claude', CLAUDE_FABLE_REJECTED, 429);
		expect(o.windows.find(w => w.id === '7d_oi')).toMatchObject({label: 'weekly Fable', usedPercent: 100, status: 'rejected'});
		expect(o.cooldownUntil).toBeNull();
	});

	it('reads API-key accounts from the classic family (RFC 3339 resets)', () => {
		const o = observe('claude', CLAUDE_API_KEY);
		expect(o.windows.map(w => [w.id, w.label, w.usedPercent, w.resetsAt])).toEqual([
			['api_requests', 'API requests', 0.03, Date.parse('2026-11-23T10:00:01Z')],
			['api_tokens', 'API tokens', 75, Date.parse('2026-11-23T10:00:30Z')],
		]);
	});
});

describe('Codex windows', () => {
	it.each([
		['canonical lists', CODEX_WITH_SPARK],
		['lower-case bare strings', lowerBare(CODEX_WITH_SPARK)],
	])('classifies by length, names the Spark family, reset-at wins over reset-after (%s)', (_form, raw) => {
		const o = observe('codex', raw);
		expect(o.plan).toBe('pro');
		expect(o.windows.map(w => [w.id, w.label, w.usedPercent, w.resetsAt, w.windowMinutes])).toEqual([
			['5h', '5h', 4, 1782105247_000, 300],
			['7d', 'weekly', 22, 1782400970_000, 10_080],
			['bengalfox:5h', 'Spark 5h', 0, 1782115844_000, 300],
			['bengalfox:7d', 'Spark weekly', 0, 1782702643_000, 10_080],
		]);
	});

	it('a weekly-only account sends its week as primary: it is weekly, reset counted from the record', () => {
		const o = observe('codex', CODEX_WEEKLY_ONLY);
		expect(o.windows).toEqual([{id: '7d', label: 'weekly', usedPercent: 61.5, resetsAt: at + 86_400_000, windowMinutes: 10_080, status: null, observedAt: at, source: 'headers'}]);
		expect(o.plan).toBe('free');
	});

	it('a monthly window (43800 minutes) is monthly', () => {
		const o = observe('codex', {'X-Codex-Primary-Used-Percent': ['12.5'], 'X-Codex-Primary-Window-Minutes': ['43800'], 'X-Codex-Primary-Reset-At': ['1782105247']});
		expect(o.windows[0]).toMatchObject({id: '30d', label: 'monthly', usedPercent: 12.5});
	});

	it('skips a window without a length or a reset', () => {
		expect(observe('codex', {'X-Codex-Primary-Used-Percent': ['12'], 'X-Codex-Primary-Window-Minutes': ['300']}).windows).toEqual([]);
		expect(observe('codex', {'X-Codex-Primary-Used-Percent': ['12'], 'X-Codex-Primary-Reset-At': ['1782105247']}).windows).toEqual([]);
	});

	it("takes a 429's usage_limit_reached reset as the account's cooldown", () => {
		const body = JSON.stringify({error: {type: 'usage_limit_reached', message: 'limit', plan_type: 'pro', resets_at: 1782105247, resets_in_seconds: 7404}});
		expect(observe('codex', CODEX_WITH_SPARK, 429, body).cooldownUntil).toBe(1782105247_000);
		expect(codexLimitReset(JSON.stringify({error: {type: 'usage_limit_reached', resets_in_seconds: 60}}), at)).toBe(at + 60_000);
		expect(codexLimitReset(JSON.stringify({error: {type: 'rate_limit_exceeded', resets_in_seconds: 60}}), at)).toBeNull();
		expect(codexLimitReset('not json usage_limit_reached', at)).toBeNull();
	});
});

describe('which records count', () => {
	it('only headers of the family of the provider that served the request', () => {
		expect(observe('codex', CLAUDE_200_WARNING).windows).toEqual([]);
		expect(observe('claude', CODEX_WITH_SPARK).windows).toEqual([]);
		expect(observe('gemini', CLAUDE_200_WARNING).windows).toEqual([]);
	});

	it('nothing from a record without an upstream answer (its headers may be an earlier attempt\'s)', () => {
		expect(observeResponse({provider: 'claude', statusCode: null, headers: pickQuotaHeaders(CLAUDE_200_WARNING), at}).windows).toEqual([]);
	});

	it('ignores values that are not numbers', () => {
		const o = observe('claude', {'Anthropic-Ratelimit-Unified-5h-Utilization': ['0x10'], 'Anthropic-Ratelimit-Unified-7d-Utilization': ['NaN'], 'Anthropic-Ratelimit-Unified-1d-Utilization': ['-0.5']});
		expect(o.windows).toEqual([]);
	});
});
