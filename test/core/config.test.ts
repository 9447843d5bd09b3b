import {describe, expect, it} from 'vitest';
import {ConfigError, DEFAULTS, isLoopbackHost, resolveConfig} from '../../source/core/config.js';

const fails = (env: Record<string, string>, flags = {}): ConfigError => {
	try {
		resolveConfig(env, flags);
	} catch (error) {
		if (error instanceof ConfigError) return error;
		throw error;
	}
	throw new Error('expected a ConfigError');
};

describe('resolveConfig', () => {
	it('uses the documented defaults and the system zone', () => {
		const c = resolveConfig({}, {}, 'Europe/Berlin');
		expect(c).toMatchObject({
			cliproxyUrl: DEFAULTS.cliproxyUrl,
			managementKey: null,
			intervalSeconds: 300,
			queueIntervalSeconds: 5,
			source: 'auto',
			port: 5001,
			host: '127.0.0.1',
			apiToken: null,
			dbPath: './data/collector.db',
			logLevel: 'info',
			zone: {kind: 'iana', name: 'Europe/Berlin'},
			warnings: [],
		});
	});

	it('reads every variable, flags winning over the environment', () => {
		const env = {
			CLIPROXY_URL: 'https://cpa.example.com:8443/base/',
			CLIPROXY_MANAGEMENT_KEY: ' secret ',
			COLLECTOR_INTERVAL_SECONDS: '60',
			COLLECTOR_QUEUE_INTERVAL_SECONDS: '2',
			COLLECTOR_SOURCE: 'LEGACY',
			COLLECTOR_TRIGGER_PORT: '6001',
			COLLECTOR_HOST: '0.0.0.0',
			COLLECTOR_API_TOKEN: '0123456789abcdef0123',
			COLLECTOR_CORS_ORIGINS: 'http://localhost:3000, https://dash.example.com',
			COLLECTOR_ALLOWED_HOSTS: 'Usage.Example.com., 10.0.0.5,[FD00::5]',
			TIMEZONE: 'Asia/Ho_Chi_Minh',
			DB_PATH: '/var/lib/cu/c.db',
			LOG_LEVEL: 'debug',
		};
		const c = resolveConfig(env);
		expect(c).toMatchObject({
			cliproxyUrl: 'https://cpa.example.com:8443/base',
			managementKey: 'secret',
			intervalSeconds: 60,
			queueIntervalSeconds: 2,
			source: 'legacy',
			port: 6001,
			host: '0.0.0.0',
			apiToken: '0123456789abcdef0123',
			corsOrigins: ['http://localhost:3000', 'https://dash.example.com'],
			allowedHosts: ['usage.example.com', '10.0.0.5', 'fd00::5'],
			zone: {kind: 'iana', name: 'Asia/Ho_Chi_Minh'},
			dbPath: '/var/lib/cu/c.db',
			logLevel: 'debug',
		});
		const flagged = resolveConfig(env, {url: 'http://127.0.0.1:9000', source: 'queue', interval: '30', port: '0', db: 'x.db', timezone: 'UTC'});
		expect(flagged).toMatchObject({cliproxyUrl: 'http://127.0.0.1:9000', source: 'queue', intervalSeconds: 30, port: 0, dbPath: 'x.db', zone: {kind: 'iana', name: 'UTC'}});
	});

	it('refuses an allowed host with a scheme, a port or a path, naming the variable', () => {
		for (const bad of ['http://usage.example.com', 'usage.example.com:8080', '10.0.0.5:80', 'a/b', 'two words']) {
			expect(fails({COLLECTOR_ALLOWED_HOSTS: bad}).message).toMatch(/^COLLECTOR_ALLOWED_HOSTS must be a comma-separated list of host names or IP addresses without scheme or port/);
		}
		expect(resolveConfig({}).allowedHosts).toEqual([]);
	});

	it('treats empty values as unset', () => {
		expect(resolveConfig({COLLECTOR_SOURCE: '', CLIPROXY_MANAGEMENT_KEY: '  '}).source).toBe('auto');
		expect(resolveConfig({CLIPROXY_MANAGEMENT_KEY: ''}).managementKey).toBeNull();
	});

	it('names the variable, or the flag that overrode it, and what is wrong', () => {
		expect(fails({COLLECTOR_INTERVAL_SECONDS: 'abc'}).message).toBe(
			'COLLECTOR_INTERVAL_SECONDS must be a whole number of seconds from 1 to 86400 (got "abc")',
		);
		expect(fails({}, {interval: '0'}).field).toBe('--interval');
		expect(fails({COLLECTOR_QUEUE_INTERVAL_SECONDS: '2.5'}).field).toBe('COLLECTOR_QUEUE_INTERVAL_SECONDS');
		expect(fails({COLLECTOR_SOURCE: 'redis'}).message).toContain('COLLECTOR_SOURCE must be one of auto, queue, resp, legacy');
		expect(fails({CLIPROXY_URL: 'localhost:8317'}).message).toContain('CLIPROXY_URL must start with http:// or https://');
		expect(fails({CLIPROXY_URL: 'not a url'}).field).toBe('CLIPROXY_URL');
		expect(fails({CLIPROXY_URL: 'http://user:pw@localhost:8317'}).message).toContain('must not contain credentials');
		expect(fails({COLLECTOR_TRIGGER_PORT: '70000'}).field).toBe('COLLECTOR_TRIGGER_PORT');
		expect(fails({TIMEZONE: 'Mars/Olympus'}).message).toContain('TIMEZONE is not a known IANA time zone');
		expect(fails({TIMEZONE_OFFSET_HOURS: '7.1'}).field).toBe('TIMEZONE_OFFSET_HOURS');
		expect(fails({TIMEZONE_OFFSET_HOURS: '15'}).field).toBe('TIMEZONE_OFFSET_HOURS');
		expect(fails({TIMEZONE: 'UTC', TIMEZONE_OFFSET_HOURS: '7'}).message).toContain('both set');
		expect(fails({LOG_LEVEL: 'loud'}).field).toBe('LOG_LEVEL');
		expect(fails({COLLECTOR_API_TOKEN: 'short'}).field).toBe('COLLECTOR_API_TOKEN');
		expect(fails({COLLECTOR_CORS_ORIGINS: 'http://ok.example,*'}).field).toBe('COLLECTOR_CORS_ORIGINS');
		expect(fails({COLLECTOR_HOST: 'http://0.0.0.0'}).field).toBe('COLLECTOR_HOST');
	});

	it('takes TIMEZONE_OFFSET_HOURS as a fixed offset, fractions in quarter hours', () => {
		expect(resolveConfig({TIMEZONE_OFFSET_HOURS: '7'}).zone).toEqual({kind: 'fixed', offsetMinutes: 420});
		expect(resolveConfig({TIMEZONE_OFFSET_HOURS: '-3.5'}).zone).toEqual({kind: 'fixed', offsetMinutes: -210});
		expect(resolveConfig({}, {tzOffset: '5.75'}).zone).toEqual({kind: 'fixed', offsetMinutes: 345});
	});

	it('COLLECTOR_HOST: an address or a host name; IPv6 with or without brackets', () => {
		for (const [given, host] of [['[::1]', '::1'], ['::1', '::1'], ['0.0.0.0', '0.0.0.0'], ['::', '::'], ['localhost', 'localhost'], ['collector.internal', 'collector.internal'], ['fe80::1%eth0', 'fe80::1%eth0']]) {
			expect(resolveConfig({COLLECTOR_HOST: given!}).host, given).toBe(host);
		}
		for (const bad of ['http://127.0.0.1', '127.0.0.1:5001', '[::1', 'a b', 'host/x', '-x']) {
			expect(() => resolveConfig({COLLECTOR_HOST: bad}), bad).toThrow(`COLLECTOR_HOST must be an IP address or a host name to listen on, such as 127.0.0.1, ::1 or 0.0.0.0, without a port (got ${JSON.stringify(bad)})`);
		}
	});

	it('warns when the queue is drained no faster than CPA expires it', () => {
		expect(resolveConfig({COLLECTOR_QUEUE_INTERVAL_SECONDS: '60'}).warnings[0]).toContain('queue retention');
	});
});

describe('isLoopbackHost', () => {
	it('accepts only loopback', () => {
		for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) expect(isLoopbackHost(h), h).toBe(true);
		for (const h of ['0.0.0.0', '::', '192.168.1.2', 'example.com', '128.0.0.1']) expect(isLoopbackHost(h), h).toBe(false);
	});
});
