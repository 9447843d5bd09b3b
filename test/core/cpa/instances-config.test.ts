import {describe, expect, it} from 'vitest';
import {ConfigError, resolveConfig} from '../../../source/core/config.js';
import {keyVariableFor} from '../../../source/core/cpa/instances-config.js';

const error = (env: Record<string, string>, flags = {}): string => {
	try {
		resolveConfig(env, flags);
	} catch (e) {
		if (e instanceof ConfigError) return e.message;
		throw e;
	}
	throw new Error('expected a ConfigError');
};

describe('CLIPROXY_URL as a list of CPAs', () => {
	it('keeps a single URL as it was: one instance named host:port with the shared key', () => {
		const c = resolveConfig({CLIPROXY_URL: 'http://127.0.0.1:8317/', CLIPROXY_MANAGEMENT_KEY: 'k'});
		expect(c.instances).toEqual([{name: '127.0.0.1:8317', url: 'http://127.0.0.1:8317', managementKey: 'k'}]);
		expect(c.cliproxyUrl).toBe('http://127.0.0.1:8317');
		expect(c.managementKey).toBe('k');
	});

	it('reads NAME=URL and URL entries, in order, with per-instance keys overriding the shared one', () => {
		const c = resolveConfig({
			CLIPROXY_URL: 'team=http://10.0.0.2:8317, https://cpa.example.com ,staging.eu-1=http://127.0.0.1:9000/base/',
			CLIPROXY_MANAGEMENT_KEY: 'shared',
			CLIPROXY_MANAGEMENT_KEY_TEAM: ' team-key ',
			CLIPROXY_MANAGEMENT_KEY_STAGING_EU_1: 'staging-key',
		});
		expect(c.instances).toEqual([
			{name: 'team', url: 'http://10.0.0.2:8317', managementKey: 'team-key'},
			{name: 'cpa.example.com:443', url: 'https://cpa.example.com', managementKey: 'shared'},
			{name: 'staging.eu-1', url: 'http://127.0.0.1:9000/base', managementKey: 'staging-key'},
		]);
		expect(c.cliproxyUrl).toBe('http://10.0.0.2:8317');
		expect(c.managementKey).toBe('team-key');
	});

	it('takes the list from --url over the environment', () => {
		const c = resolveConfig({CLIPROXY_URL: 'http://127.0.0.1:1'}, {url: 'a=http://127.0.0.1:2,b=http://127.0.0.1:3'});
		expect(c.instances.map(i => i.name)).toEqual(['a', 'b']);
	});

	it('names the key variable by the name upper-cased, non-alphanumerics as _', () => {
		expect(keyVariableFor('laptop')).toBe('CLIPROXY_MANAGEMENT_KEY_LAPTOP');
		expect(keyVariableFor('10.0.0.2:8317')).toBe('CLIPROXY_MANAGEMENT_KEY_10_0_0_2_8317');
	});

	it('refuses duplicate names, names sharing a key variable, the same URL twice, bad names and empty entries, naming the entry', () => {
		expect(error({CLIPROXY_URL: 'a=http://127.0.0.1:1,A=http://127.0.0.1:2'})).toBe(
			'CLIPROXY_URL entry "A=http://127.0.0.1:2": the name "A" is used twice; give each CPA its own name (NAME=URL)',
		);
		expect(error({CLIPROXY_URL: 'team-a=http://127.0.0.1:1,team_a=http://127.0.0.1:2'})).toBe(
			'CLIPROXY_URL entry "team_a=http://127.0.0.1:2": the names "team-a" and "team_a" would share CLIPROXY_MANAGEMENT_KEY_TEAM_A; rename one',
		);
		expect(error({CLIPROXY_URL: 'http://127.0.0.1:1,b=http://127.0.0.1:1/'})).toBe(
			'CLIPROXY_URL entry "b=http://127.0.0.1:1/": http://127.0.0.1:1 is already in the list as "127.0.0.1:1"; one CPA read twice would count its requests twice',
		);
		expect(error({CLIPROXY_URL: 'my team=http://127.0.0.1:1'})).toBe(
			'CLIPROXY_URL entry "my team=http://127.0.0.1:1": the name must be 1-63 letters, digits or . _ : - starting with a letter or digit (got "my team")',
		);
		expect(error({}, {url: 'http://127.0.0.1:1,,http://127.0.0.1:2'})).toBe(
			'--url has an empty entry in its list (got "http://127.0.0.1:1,,http://127.0.0.1:2"); separate entries with single commas',
		);
		expect(error({CLIPROXY_URL: 'a=http://127.0.0.1:1,b=ftp://x'})).toBe('CLIPROXY_URL must start with http:// or https:// (got "ftp://x")');
	});

	it('never puts a key in an error message', () => {
		const message = error({CLIPROXY_URL: 'a=http://127.0.0.1:1,a=http://127.0.0.1:2', CLIPROXY_MANAGEMENT_KEY_A: 'secret-a', CLIPROXY_MANAGEMENT_KEY: 'secret'});
		expect(message).not.toContain('secret');
	});
});
