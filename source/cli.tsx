#!/usr/bin/env node
import {CONFIG_FLAGS, loadConfig, type CliIO, type CommandModule} from './commands/common.js';
import {EXIT, UserFacingError} from './runtime/exit-codes.js';
import {safeText} from './core/text/safe-text.js';

/** Subcommands, loaded only when named: each parses its own flags and prints its own --help. */
const COMMANDS: Record<string, () => Promise<CommandModule>> = {
	report: () => import('./commands/report.js'),
	import: () => import('./commands/import.js'),
	db: () => import('./commands/db.js'),
	limits: () => import('./commands/limits.js'),
	prices: () => import('./commands/prices.js'),
	accounts: () => import('./commands/accounts.js'),
};

const HELP = `
	Usage
	  $ cliproxy-usage                 live dashboard (collector + HTTP server in one process)
	  $ cliproxy-usage --headless      collector + HTTP server, JSON log lines, no UI
	  $ cliproxy-usage --once [--json] one collection pass, print a summary, exit
	  $ cliproxy-usage report daily|weekly|monthly|models [--since --until --model] [--json|--csv]
	  $ cliproxy-usage import FILE     merge a CPA v6 usage export (or a saved /usage answer; - for stdin)
	  $ cliproxy-usage db backup FILE|stats|vacuum|prune --older-than DAYS
	  $ cliproxy-usage limits list|add|remove|reset   rate-limit configs and their status
	  $ cliproxy-usage prices ...      show, update, set or re-price model prices (prices --help)
	  $ cliproxy-usage accounts [--period P] [--json]   credentials, their state and official quota windows
	  Each command has its own --help.

	Options
	  --url URL               CPA base URL                       (CLIPROXY_URL, http://localhost:8317)
	  --source MODE           auto | queue | resp | legacy        (COLLECTOR_SOURCE, auto)
	  --interval SECONDS      legacy poll cadence                 (COLLECTOR_INTERVAL_SECONDS, 300)
	  --queue-interval SECS   usage-queue drain cadence           (COLLECTOR_QUEUE_INTERVAL_SECONDS, 5)
	  --port PORT             HTTP server port                    (COLLECTOR_TRIGGER_PORT, 5001)
	  --host HOST             HTTP server address                 (COLLECTOR_HOST, 127.0.0.1)
	  --timezone ZONE         IANA zone for days and weeks        (TIMEZONE, system zone)
	  --tz-offset HOURS       fixed UTC offset instead of a zone  (TIMEZONE_OFFSET_HOURS)
	  --db PATH               SQLite database                     (DB_PATH, ./data/collector.db)
	  --log-level LEVEL       debug | info | warn | error | silent (LOG_LEVEL, info)
	  --dotenv FILE           read variables from FILE instead of ./.env
	  --json                  machine-readable output
	  --compact               force the narrow dashboard layout

	The management key is read only from CLIPROXY_MANAGEMENT_KEY (environment or .env),
	never from a flag, so it does not show up in the process list.

	HTTP server security (environment or .env; see docs/security.md)
	  COLLECTOR_API_TOKEN       bearer token every route but health needs (required off loopback)
	  COLLECTOR_ALLOWED_HOSTS   Host names answered besides the bound address and localhost,
	                            comma-separated (a reverse proxy's name); others get 421
	  COLLECTOR_CORS_ORIGINS    browser origins allowed to call the API, comma-separated

	Exit codes: 0 ok, 1 runtime failure, 2 bad usage or configuration.

	Examples
	  $ cliproxy-usage --once --json
	  $ cliproxy-usage report daily --since 2026-11-01
	  $ cliproxy-usage --headless --host 0.0.0.0   (needs COLLECTOR_API_TOKEN)
`;

type Flags = {headless?: boolean; once?: boolean; json?: boolean; compact?: boolean} & Partial<Record<keyof typeof CONFIG_FLAGS, string>>;

/** The dashboard's plain `cliproxy-usage` has nothing to parse: meow is not even loaded (start-up time). */
const NO_FLAGS: Flags = {};

/** The flags, or the name of an unknown command. meow prints help and exits itself for --help. */
async function parseFlags(argv: string[]): Promise<Flags | string> {
	const {default: meow} = await import('meow');
	const cli = meow(HELP, {
		importMeta: import.meta,
		argv,
		allowUnknownFlags: false,
		booleanDefault: undefined,
		flags: {
			headless: {type: 'boolean'},
			once: {type: 'boolean'},
			json: {type: 'boolean'},
			compact: {type: 'boolean'},
			...CONFIG_FLAGS,
		},
	});
	return cli.input[0] ?? cli.flags;
}

async function main(argv: string[], io: CliIO): Promise<number> {
	const [first, ...rest] = argv;
	const command = first === undefined ? undefined : COMMANDS[first];
	if (command) return (await command()).run(rest, io);

	const flags = argv.length === 0 ? NO_FLAGS : await parseFlags(argv);
	if (typeof flags === 'string') {
		io.stderr(`cliproxy-usage: unknown command "${flags}". Run cliproxy-usage --help for the list.\n`);
		return EXIT.usage;
	}
	if (flags.headless && flags.once) {
		io.stderr('cliproxy-usage: --headless and --once cannot be combined: pick one.\n');
		return EXIT.usage;
	}

	const config = loadConfig(flags, io);
	if (typeof config === 'number') return config;

	if (flags.once) {
		const {runOnce} = await import('./commands/once.js');
		return runOnce(config, {json: flags.json ?? false, ...io});
	}
	if (flags.headless) {
		const {runHeadless} = await import('./commands/headless.js');
		return runHeadless(config, io);
	}
	const {runDashboard} = await import('./ui/run-dashboard.js');
	return runDashboard(config, io, {compact: flags.compact ?? false});
}

/** The one exit path: every outcome becomes an exit code here. */
async function run(): Promise<void> {
	const io: CliIO = {stdout: s => process.stdout.write(s), stderr: s => process.stderr.write(s)};
	// `report daily | head`: the reader left, which is not a failure.
	process.stdout.on('error', (error: NodeJS.ErrnoException) => {
		if (error.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
		throw error;
	});
	try {
		process.exitCode = await main(process.argv.slice(2), io);
		// Let pending output drain, but do not wait on idle keep-alive sockets to CPA.
		setTimeout(() => process.exit(), 1000).unref();
	} catch (error) {
		if (error instanceof UserFacingError) {
			io.stderr(`cliproxy-usage: ${safeText(error.message)}\n`);
			process.exitCode = error.exitCode;
			return;
		}
		const text = (error as Error)?.stack ?? String(error);
		io.stderr(`cliproxy-usage: unexpected failure: ${text.split('\n').map(line => safeText(line, 4000)).join('\n')}\n`);
		process.exitCode = EXIT.failure;
	}
}

await run();
