import {isIP, isIPv6} from 'node:net';
import {resolveAlertConfig, type AlertConfig} from './alerts/alert-config.js';
import {resolvePriceConfig, type PriceConfig} from './pricing/price-config.js';
import {isValidZoneName, type Zone} from './time/zone.js';
import {parseInstances, type CpaInstance} from './cpa/instances-config.js';

export type {CpaInstance} from './cpa/instances-config.js';

export type SourceMode = 'auto' | 'queue' | 'resp' | 'legacy';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export type Config = {
	/** The first CPA's URL and key (the only one when CLIPROXY_URL names one). */
	cliproxyUrl: string;
	managementKey: string | null;
	/** Every CPA in CLIPROXY_URL, in its order; never empty. */
	instances: CpaInstance[];
	intervalSeconds: number;
	queueIntervalSeconds: number;
	source: SourceMode;
	port: number;
	host: string;
	apiToken: string | null;
	corsOrigins: string[];
	/** COLLECTOR_ALLOWED_HOSTS: `Host` names the server answers besides its address and localhost. */
	allowedHosts: string[];
	zone: Zone;
	dbPath: string;
	logLevel: LogLevel;
	/** How often an idle account's official quota is fetched through CPA's api-call; 0 turns it off. */
	quotaPollMinutes: number;
	/** Price sources and the overrides file (PRICES_* variables). */
	prices: PriceConfig;
	/** Budget alerts: thresholds, the webhook, the bell (ALERT_* variables). */
	alerts: AlertConfig;
	/** Things that work but are probably not what the user wants. */
	warnings: string[];
};

/** Flags that override an environment variable, by the variable they override. */
export type ConfigFlags = Partial<{
	url: string;
	source: string;
	interval: number | string;
	queueInterval: number | string;
	port: number | string;
	host: string;
	timezone: string;
	tzOffset: number | string;
	db: string;
	logLevel: string;
}>;

const FLAG_FOR: Record<string, {flag: keyof ConfigFlags; name: string}> = {
	CLIPROXY_URL: {flag: 'url', name: '--url'},
	COLLECTOR_SOURCE: {flag: 'source', name: '--source'},
	COLLECTOR_INTERVAL_SECONDS: {flag: 'interval', name: '--interval'},
	COLLECTOR_QUEUE_INTERVAL_SECONDS: {flag: 'queueInterval', name: '--queue-interval'},
	COLLECTOR_TRIGGER_PORT: {flag: 'port', name: '--port'},
	COLLECTOR_HOST: {flag: 'host', name: '--host'},
	TIMEZONE: {flag: 'timezone', name: '--timezone'},
	TIMEZONE_OFFSET_HOURS: {flag: 'tzOffset', name: '--tz-offset'},
	DB_PATH: {flag: 'db', name: '--db'},
	LOG_LEVEL: {flag: 'logLevel', name: '--log-level'},
};

export const DEFAULTS = {
	cliproxyUrl: 'http://localhost:8317',
	intervalSeconds: 300,
	queueIntervalSeconds: 5,
	source: 'auto' as SourceMode,
	port: 5001,
	host: '127.0.0.1',
	dbPath: './data/collector.db',
	logLevel: 'info' as LogLevel,
	quotaPollMinutes: 15,
};

/** CPA keeps unread queue records this long by default (`redis-usage-queue-retention-seconds`). */
export const CPA_DEFAULT_RETENTION_SECONDS = 60;

export class ConfigError extends Error {
	constructor(
		readonly field: string,
		readonly problem: string,
	) {
		super(`${field} ${problem}`);
	}
}

type Env = Readonly<Record<string, string | undefined>>;

export function resolveConfig(env: Env, flags: ConfigFlags = {}, systemZone = 'UTC'): Config {
	const warnings: string[] = [];
	/** The value that wins (flag over env) and the name to blame if it is bad. */
	const pick = (variable: string): {value: string | undefined; field: string} => {
		const f = FLAG_FOR[variable];
		const flagValue = f ? flags[f.flag] : undefined;
		if (f && flagValue !== undefined && flagValue !== '') return {value: String(flagValue), field: f.name};
		const envValue = env[variable]?.trim();
		return {value: envValue === '' ? undefined : envValue, field: variable};
	};

	const url = pick('CLIPROXY_URL');
	const instances = parseInstances(
		url.value ?? DEFAULTS.cliproxyUrl,
		env,
		value => parseUrl(value, url.field),
		problem => new ConfigError(url.field, problem),
	);
	const {url: cliproxyUrl, managementKey} = instances[0]!;

	const interval = pick('COLLECTOR_INTERVAL_SECONDS');
	const intervalSeconds = interval.value === undefined ? DEFAULTS.intervalSeconds : parseSeconds(interval.value, interval.field);
	const queueInterval = pick('COLLECTOR_QUEUE_INTERVAL_SECONDS');
	const queueIntervalSeconds =
		queueInterval.value === undefined ? DEFAULTS.queueIntervalSeconds : parseSeconds(queueInterval.value, queueInterval.field);
	if (queueIntervalSeconds >= CPA_DEFAULT_RETENTION_SECONDS) {
		warnings.push(
			`${queueInterval.field}=${queueIntervalSeconds} is not shorter than CPA's default queue retention (${CPA_DEFAULT_RETENTION_SECONDS} s): ` +
				'records may expire before they are read; lower it or raise redis-usage-queue-retention-seconds in CPA',
		);
	}

	const sourceIn = pick('COLLECTOR_SOURCE');
	const source = (sourceIn.value ?? DEFAULTS.source).toLowerCase();
	if (!['auto', 'queue', 'resp', 'legacy'].includes(source)) {
		throw new ConfigError(sourceIn.field, `must be one of auto, queue, resp, legacy (got ${JSON.stringify(sourceIn.value)})`);
	}

	const portIn = pick('COLLECTOR_TRIGGER_PORT');
	const port = portIn.value === undefined ? DEFAULTS.port : parsePort(portIn.value, portIn.field);

	const hostIn = pick('COLLECTOR_HOST');
	const host = parseHost(hostIn.value ?? DEFAULTS.host, hostIn.field);

	const token = env['COLLECTOR_API_TOKEN']?.trim();
	const apiToken = token ? token : null;
	if (apiToken !== null && apiToken.length < 16) {
		throw new ConfigError('COLLECTOR_API_TOKEN', 'must be at least 16 characters (generate one with: openssl rand -hex 24)');
	}

	const corsOrigins = parseOrigins(env['COLLECTOR_CORS_ORIGINS']);
	const allowedHosts = parseHosts(env['COLLECTOR_ALLOWED_HOSTS']);

	const zone = parseZone(pick('TIMEZONE'), pick('TIMEZONE_OFFSET_HOURS'), systemZone);

	const dbIn = pick('DB_PATH');
	const dbPath = dbIn.value ?? DEFAULTS.dbPath;

	const levelIn = pick('LOG_LEVEL');
	const logLevel = (levelIn.value ?? DEFAULTS.logLevel).toLowerCase();
	if (!['debug', 'info', 'warn', 'error', 'silent'].includes(logLevel)) {
		throw new ConfigError(levelIn.field, `must be one of debug, info, warn, error, silent (got ${JSON.stringify(levelIn.value)})`);
	}

	const pollIn = env['QUOTA_POLL_MINUTES']?.trim();
	let quotaPollMinutes = DEFAULTS.quotaPollMinutes;
	if (pollIn) {
		if (!/^\d+$/.test(pollIn) || Number(pollIn) > 1440 || (Number(pollIn) > 0 && Number(pollIn) < 5)) {
			throw new ConfigError('QUOTA_POLL_MINUTES', `must be 0 (off) or whole minutes from 5 to 1440: providers rate-limit their quota endpoints (got ${JSON.stringify(pollIn)})`);
		}
		quotaPollMinutes = Number(pollIn);
	}

	const prices = resolvePriceConfig(env, (field, problem) => new ConfigError(field, problem));
	const alerts = resolveAlertConfig(env, (field, problem) => new ConfigError(field, problem));

	return {
		cliproxyUrl,
		managementKey,
		instances,
		intervalSeconds,
		queueIntervalSeconds,
		source: source as SourceMode,
		port,
		host,
		apiToken,
		corsOrigins,
		allowedHosts,
		zone,
		dbPath,
		logLevel: logLevel as LogLevel,
		quotaPollMinutes,
		prices,
		alerts,
		warnings,
	};
}

function parseUrl(value: string, field: string): string {
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		throw new ConfigError(field, `must be an http(s) URL such as http://localhost:8317 (got ${JSON.stringify(value)})`);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new ConfigError(field, `must start with http:// or https:// (got ${JSON.stringify(value)})`);
	}
	if (url.username || url.password) {
		throw new ConfigError(field, 'must not contain credentials; put the management key in CLIPROXY_MANAGEMENT_KEY');
	}
	if (url.search || url.hash) throw new ConfigError(field, `must not have a query or fragment (got ${JSON.stringify(value)})`);
	return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function parseSeconds(value: string, field: string): number {
	if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 86_400) {
		throw new ConfigError(field, `must be a whole number of seconds from 1 to 86400 (got ${JSON.stringify(value)})`);
	}
	return Number(value);
}

function parsePort(value: string, field: string): number {
	if (!/^\d+$/.test(value) || Number(value) > 65_535) {
		throw new ConfigError(field, `must be a port number from 0 to 65535 (got ${JSON.stringify(value)})`);
	}
	return Number(value);
}

function parseOrigins(value: string | undefined): string[] {
	if (!value?.trim()) return [];
	return value.split(',').map(raw => {
		const origin = raw.trim();
		let url: URL | undefined;
		try {
			url = new URL(origin);
		} catch {
			url = undefined;
		}
		if (!url || url.origin !== origin.replace(/\/$/, '')) {
			throw new ConfigError('COLLECTOR_CORS_ORIGINS', `must be a comma-separated list of origins such as http://localhost:3000 (got ${JSON.stringify(origin)})`);
		}
		return url.origin;
	});
}

/** Host names or IP addresses, comma-separated, no scheme or port: `usage.example.com,10.0.0.5,[fd00::5]`. */
function parseHosts(value: string | undefined): string[] {
	if (!value?.trim()) return [];
	return value.split(',').map(raw => {
		const host = raw.trim().toLowerCase().replace(/\.$/, '');
		const bare = host.replace(/^\[(.*)\]$/, '$1');
		const name = /^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/.test(bare);
		const ipv6 = isIPv6(bare);
		if (!name && !ipv6) {
			throw new ConfigError('COLLECTOR_ALLOWED_HOSTS', `must be a comma-separated list of host names or IP addresses without scheme or port, such as usage.example.com,10.0.0.5 (got ${JSON.stringify(raw.trim())})`);
		}
		return bare;
	});
}

function parseZone(tz: {value: string | undefined; field: string}, offset: {value: string | undefined; field: string}, systemZone: string): Zone {
	if (tz.value !== undefined && offset.value !== undefined) {
		throw new ConfigError(
			offset.field,
			`and ${tz.field} are both set: keep ${tz.field} (an IANA zone, DST-aware) or ${offset.field} (a fixed offset), not both`,
		);
	}
	if (tz.value !== undefined) {
		if (!isValidZoneName(tz.value)) {
			throw new ConfigError(tz.field, `is not a known IANA time zone such as Europe/Berlin or Asia/Ho_Chi_Minh (got ${JSON.stringify(tz.value)})`);
		}
		return {kind: 'iana', name: tz.value};
	}
	if (offset.value !== undefined) {
		const hours = Number(offset.value);
		if (!/^[+-]?\d+(\.\d+)?$/.test(offset.value) || hours < -12 || hours > 14 || !Number.isInteger(hours * 4)) {
			throw new ConfigError(offset.field, `must be hours from -12 to 14 in steps of 0.25, such as 7 or -3.5 (got ${JSON.stringify(offset.value)})`);
		}
		return {kind: 'fixed', offsetMinutes: Math.round(hours * 60)};
	}
	return isValidZoneName(systemZone) ? {kind: 'iana', name: systemZone} : {kind: 'fixed', offsetMinutes: 0};
}

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** An address to listen on: IPv4, IPv6 with or without brackets (`[::1]` is `::1`), or a host name. */
function parseHost(text: string, field: string): string {
	const bare = /^\[(.*)\]$/.exec(text)?.[1] ?? text;
	if (isIP(bare) !== 0 || (!bare.includes(':') && HOST_NAME.test(bare))) return bare;
	throw new ConfigError(field, `must be an IP address or a host name to listen on, such as 127.0.0.1, ::1 or 0.0.0.0, without a port (got ${JSON.stringify(text)})`);
}

/** 127.0.0.0/8, ::1 and localhost: the only hosts the server may bind without a token. */
export function isLoopbackHost(host: string): boolean {
	const h = host.replace(/^\[|\]$/g, '').toLowerCase();
	return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}
