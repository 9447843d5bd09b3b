import type {CliIO} from '../commands/common.js';
import {loadEnvFile} from '../config/load-env.js';
import {EXIT} from '../runtime/exit-codes.js';
import {ConnectUrlError, parseConnectUrl} from './connect-url.js';

/** Flags that configure a local collector or database: meaningless with `--connect`, so refused rather than ignored. */
const LOCAL_ONLY = ['headless', 'once', 'json', 'url', 'source', 'interval', 'queueInterval', 'port', 'host', 'timezone', 'tzOffset', 'db'] as const;

export type ConnectFlags = {connect?: string; compact?: boolean; dotenv?: string} & Partial<Record<(typeof LOCAL_ONLY)[number], unknown>>;

const kebab = (name: string) => name.replace(/[A-Z]/g, c => `-${c.toLowerCase()}`);

/**
 * `cliproxy-usage --connect URL`: checks the arguments and the environment without touching a
 * database or loading Ink, then hands over to the remote dashboard.
 */
export async function connect(flags: ConnectFlags, io: CliIO): Promise<number> {
	const local = LOCAL_ONLY.find(name => flags[name] !== undefined && flags[name] !== false);
	if (local) {
		io.stderr(`cliproxy-usage: --${kebab(local)} cannot be combined with --connect: the remote instance's own settings and database apply.\n`);
		return EXIT.usage;
	}
	let base: URL;
	try {
		base = parseConnectUrl(flags.connect);
	} catch (error) {
		if (error instanceof ConnectUrlError) {
			io.stderr(`cliproxy-usage: ${error.message}\n`);
			return EXIT.usage;
		}
		throw error;
	}
	loadEnvFile(flags.dotenv);
	const token = process.env['COLLECTOR_API_TOKEN']?.trim() || null;
	const bell = !['false', '0', 'no', 'off'].includes((process.env['ALERT_BELL'] ?? 'true').trim().toLowerCase());
	if (!process.stdout.isTTY || !process.stdin.isTTY) {
		io.stderr('cliproxy-usage: --connect shows the dashboard and needs a terminal; for scripts, read the remote HTTP API directly (docs/http-api.md).\n');
		return EXIT.usage;
	}
	const {runConnect} = await import('./run-connect.js');
	return runConnect({base, token, bell, compact: flags.compact ?? false}, io);
}
