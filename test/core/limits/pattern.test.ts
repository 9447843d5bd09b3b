import {describe, expect, it} from 'vitest';
import {modelMatcher} from '../../../source/core/limits/pattern.js';

const models = ['claude-sonnet-4-5-20250929', 'Claude-Opus-4-1', 'gpt-5-codex', 'gpt-5.1', 'gpt-4.1-mini', 'gemini-2.5-pro', 'glm-4.6'];
const matching = (pattern: string) => models.filter(modelMatcher(pattern).test);

describe('model patterns', () => {
	it('without * or ? match as a case-insensitive substring', () => {
		expect(modelMatcher('claude').kind).toBe('substring');
		expect(matching('CLAUDE')).toEqual(['claude-sonnet-4-5-20250929', 'Claude-Opus-4-1']);
		expect(matching('4.1')).toEqual(['gpt-4.1-mini']); // a dot is a dot
		expect(matching('-pro')).toEqual(['gemini-2.5-pro']);
	});

	it('with * or ? match as a glob over the whole name', () => {
		expect(modelMatcher('gpt-5*').kind).toBe('glob');
		expect(matching('gpt-5*')).toEqual(['gpt-5-codex', 'gpt-5.1']);
		expect(matching('claude-*-4-?')).toEqual(['Claude-Opus-4-1']);
		expect(matching('*sonnet*')).toEqual(['claude-sonnet-4-5-20250929']);
		expect(matching('gpt-4?1*')).toEqual(['gpt-4.1-mini']);
		expect(matching('sonnet*')).toEqual([]); // anchored at the start
		expect(matching('*')).toEqual(models);
	});

	it('treat regular-expression characters literally', () => {
		expect(modelMatcher('gpt-4.1*').test('gpt-4x1-mini')).toBe(false);
		expect(modelMatcher('a+b*').test('a+bc')).toBe(true);
		expect(modelMatcher('(x)|y').test('z(x)|yz')).toBe(true);
	});

	it('show why the original seed "gpt-weekly" counted nothing', () => {
		expect(matching('gpt-weekly')).toEqual([]);
	});
});
