import {loadEnvFile} from '../config/load-env.js';
import {ConfigError, resolveConfig, type Config} from '../core/config.js';
import {EXIT} from '../runtime/exit-codes.js';

export type CliIO = {stdout: (s: string) => void; stderr: (s: string) => void};

/** A subcommand: gets the arguments after its name, returns the exit code. */
export type CommandModule = {run(argv: string[], io: CliIO): Promise<number>};

/** The flags every mode and command understands (they override environment variables). */
export const CONFIG_FLAGS = {
	url: {type: 'string'},
	source: {type: 'string'},
	interval: {type: 'string'},
	queueInterval: {type: 'string'},
	port: {type: 'string'},
	host: {type: 'string'},
	timezone: {type: 'string'},
	tzOffset: {type: 'string'},
	db: {type: 'string'},
	logLevel: {type: 'string'},
	dotenv: {type: 'string'},
} as const;

export const CONFIG_FLAGS_HELP = `
	Settings (each overrides its environment variable; the full list: cliproxy-usage --help)
	  --db PATH  --timezone ZONE  --tz-offset HOURS  --url URL  --dotenv FILE  --log-level LEVEL
	  -h, --help  this help`;

export type ConfigFlagValues = Partial<Record<keyof typeof CONFIG_FLAGS, string>>;

/**
 * Loads .env and resolves the configuration. A bad value prints one line naming it and
 * returns the usage exit code instead of a config.
 */
export function loadConfig(flags: ConfigFlagValues, io: CliIO): Config | number {
	try {
		loadEnvFile(flags.dotenv);
		return resolveConfig(process.env, flags, Intl.DateTimeFormat().resolvedOptions().timeZone);
	} catch (error) {
		if (error instanceof ConfigError) {
			io.stderr(`cliproxy-usage: ${error.message}. Fix it in the environment, .env or the flag (see .env.example).\n`);
			return EXIT.usage;
		}
		throw error;
	}
}

/** One line on stderr and the usage exit code: for bad arguments to a command. */
export function usageError(io: CliIO, message: string): number {
	io.stderr(`cliproxy-usage: ${message}\n`);
	return EXIT.usage;
}
