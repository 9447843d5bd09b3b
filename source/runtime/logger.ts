import type {LogLevel} from '../core/config.js';
import {safeJson, safeText} from '../core/text/safe-text.js';

export type LogFields = Record<string, unknown>;

export type Logger = {
	debug(message: string, fields?: LogFields): void;
	info(message: string, fields?: LogFields): void;
	warn(message: string, fields?: LogFields): void;
	error(message: string, fields?: LogFields): void;
};

const RANK: Record<Exclude<LogLevel, 'silent'>, number> = {debug: 10, info: 20, warn: 30, error: 40};

export type LogEntry = {level: Exclude<LogLevel, 'silent'>; time: number; msg: string} & LogFields;

/**
 * Emits entries at or above `level` to `sink`. Every string that contains one of `secrets`
 * has it replaced, so a key that slips into an error message still never reaches a log.
 */
export function createLogger(options: {level: LogLevel; sink: (entry: LogEntry) => void; secrets?: readonly (string | null | undefined)[]; now?: () => number}): Logger {
	const secrets = (options.secrets ?? []).filter((s): s is string => typeof s === 'string' && s.length >= 4);
	const threshold = options.level === 'silent' ? Infinity : RANK[options.level];
	const now = options.now ?? Date.now;
	const scrub = (value: unknown): unknown => {
		if (typeof value === 'string') return secrets.reduce((s, secret) => s.split(secret).join('[redacted]'), value);
		if (value instanceof Error) return scrub(value.message);
		if (Array.isArray(value)) return value.map(scrub);
		if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v)]));
		return value;
	};
	const emit = (level: Exclude<LogLevel, 'silent'>) => (message: string, fields?: LogFields) => {
		if (RANK[level] < threshold) return;
		options.sink({time: now(), level, msg: scrub(message) as string, ...(scrub(fields ?? {}) as LogFields)});
	};
	return {debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error')};
}

/**
 * One JSON object per line: what `--headless` writes to stdout. Outside text in a field keeps
 * its value, with whatever a terminal could act on \u-escaped (`journalctl`, `tail -f`).
 */
export function jsonLineSink(write: (line: string) => void): (entry: LogEntry) => void {
	return entry => write(`${safeJson({...entry, time: new Date(entry.time).toISOString()})}\n`);
}

/** `warn: message (k=v)`: for one-shot commands, on stderr; outside text in it is shown, never raw. */
export function humanSink(write: (line: string) => void): (entry: LogEntry) => void {
	return ({level, time: _time, msg, ...fields}) => {
		const extra = Object.entries(fields)
			.map(([k, v]) => `${safeText(k, 'provider')}=${safeText(typeof v === 'string' ? v : safeJson(v))}`)
			.join(' ');
		write(`${level}: ${safeText(msg)}${extra ? ` (${extra})` : ''}\n`);
	};
}

export const silentLogger: Logger = createLogger({level: 'silent', sink: () => {}});

/** Every entry with `instance: name` first (several CPAs: which one a line is about). */
export function instanceLogger(logger: Logger, name: string): Logger {
	const tag = (fields?: LogFields): LogFields => ({instance: name, ...fields});
	return {
		debug: (m, f) => logger.debug(m, tag(f)),
		info: (m, f) => logger.info(m, tag(f)),
		warn: (m, f) => logger.warn(m, tag(f)),
		error: (m, f) => logger.error(m, tag(f)),
	};
}
