import {describe, expect, it} from 'vitest';
import {LimitInputError, validateLimitInput, type LimitInput} from '../../../source/core/limits/input.js';

const ok: LimitInput = {provider: ' Anthropic ', tier_name: 'Pro', model_pattern: 'claude', strategy: 'rolling', window_minutes: 300, token_limit: 1_500_000};

function fieldOf(input: LimitInput): string {
	try {
		validateLimitInput(input);
	} catch (error) {
		if (error instanceof LimitInputError) return `${error.field}: ${error.problem}`;
		throw error;
	}
	return 'valid';
}

describe('validateLimitInput', () => {
	it('normalises a valid config', () => {
		expect(validateLimitInput(ok)).toEqual({
			provider: 'Anthropic',
			tier_name: 'Pro',
			model_pattern: 'claude',
			strategy: 'rolling',
			window_minutes: 300,
			token_limit: 1_500_000,
			request_limit: null,
			cost_limit_usd: null,
		});
		expect(validateLimitInput({...ok, strategy: 'weekly', window_minutes: undefined, token_limit: null, cost_limit_usd: 7.5}).cost_limit_usd).toBe(7.5);
	});

	it('names the field of every bad value', () => {
		expect(fieldOf({...ok, provider: ''})).toBe('provider: is required and must not be empty');
		expect(fieldOf({...ok, tier_name: undefined})).toMatch(/^tier_name: is required/);
		expect(fieldOf({...ok, model_pattern: 'x\u0007'})).toMatch(/^model_pattern: must not contain control/);
		expect(fieldOf({...ok, strategy: 'monthly'})).toBe('strategy: must be one of daily, weekly, rolling (got "monthly")');
		expect(fieldOf({...ok, window_minutes: null})).toMatch(/^window_minutes: is required for a rolling window/);
		expect(fieldOf({...ok, window_minutes: 0})).toMatch(/^window_minutes: must be a positive whole number/);
		expect(fieldOf({...ok, strategy: 'daily'})).toMatch(/^window_minutes: applies only to rolling windows/);
		expect(fieldOf({...ok, token_limit: -5})).toBe('token_limit: must be a positive whole number (got -5)');
		expect(fieldOf({...ok, token_limit: 1.5})).toMatch(/^token_limit:/);
		expect(fieldOf({...ok, request_limit: 0})).toMatch(/^request_limit:/);
		expect(fieldOf({...ok, cost_limit_usd: 0})).toMatch(/^cost_limit_usd: must be a positive amount/);
		expect(fieldOf({...ok, cost_limit_usd: Number.NaN})).toMatch(/^cost_limit_usd:/);
		expect(fieldOf({...ok, token_limit: undefined})).toMatch(/at least one limit/);
	});
});
