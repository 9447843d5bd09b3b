import {describe, expect, it} from 'vitest';
import {accountKey, splitAccountKey} from '../../../source/core/cpa/account-key.js';

describe('account keys: (instance, auth_index)', () => {
	it('keeps the first instance\'s keys bare and prefixes every other instance\'s with its tag', () => {
		expect(accountKey('', 'a1b2c3d4e5f67890')).toBe('a1b2c3d4e5f67890');
		expect(accountKey('laptop', 'a1b2c3d4e5f67890')).toBe('laptop/a1b2c3d4e5f67890');
	});

	it('splits only on a tag the database knows, so an auth_index holding a slash stays whole', () => {
		const tags = new Set(['', 'laptop']);
		expect(splitAccountKey('laptop/a1b2', tags)).toEqual({tag: 'laptop', authIndex: 'a1b2'});
		expect(splitAccountKey('a1b2', tags)).toEqual({tag: '', authIndex: 'a1b2'});
		expect(splitAccountKey('team/a1b2', tags)).toEqual({tag: '', authIndex: 'team/a1b2'});
		expect(splitAccountKey('/a1b2', tags)).toEqual({tag: '', authIndex: '/a1b2'});
	});
});
