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
	cliproxy-usage: a terminal dashboard and headless collector for CLIProxyAPI (CPA) usage:
	every request in SQLite, priced, with rate-limit gauges.

	Usage
	  $ cliproxy-usage                 the live dashboard (collector + HTTP API in one process)
	  $ cliproxy-usage --headless      collector + HTTP API, JSON log lines, no UI
	  $ cliproxy-usage --once [--json] one collection pass, print a summary, exit
	  $ cliproxy-usage --connect URL   the dashboard of a remote --headless (COLLECTOR_API_TOKEN)
	  $ cliproxy-usage report daily|weekly|monthly|models [--since D] [--until D] [--model P] [--json|--csv]
	  $ cliproxy-usage import FILE     merge a CPA v6 usage export (or a saved /usage answer; - for stdin)
	  $ cliproxy-usage db backup FILE | stats | vacuum | prune --older-than DAYS
	  $ cliproxy-usage limits list | add | remove ID | reset ID
	  $ cliproxy-usage prices show | update | set | unset | reprice
	  $ cliproxy-usage accounts [--period P] [--json]   credentials, their state and official quota windows
	  Every command and subcommand has its own --help (cliproxy-usage limits add --help).

	Options
	  --headless              run without a UI, for a server or a systemd unit
	  --once                  one collection pass, then exit (0 ok, 1 the pass failed)
	  --json                  with --once: print JSON
	  --compact               the dashboard's narrow layout at any size
	  --connect URL           show a remote --headless instance (http://server:5001): no local
	                          database or collector; the token from COLLECTOR_API_TOKEN
	  --url URL               CPA base URL                       (CLIPROXY_URL, http://localhost:8317)
	  --source MODE           auto | queue | resp | legacy        (COLLECTOR_SOURCE, auto)
	  --interval SECONDS      legacy poll cadence                 (COLLECTOR_INTERVAL_SECONDS, 300)
	  --queue-interval SECS   usage-queue drain cadence           (COLLECTOR_QUEUE_INTERVAL_SECONDS, 5)
	  --port PORT             HTTP API port                       (COLLECTOR_TRIGGER_PORT, 5001)
	  --host HOST             HTTP API address                    (COLLECTOR_HOST, 127.0.0.1)
	  --timezone ZONE         IANA zone for days and weeks        (TIMEZONE, system zone)
	  --tz-offset HOURS       fixed UTC offset instead of a zone  (TIMEZONE_OFFSET_HOURS)
	  --db PATH               SQLite database                     (DB_PATH, ./data/collector.db)
	  --log-level LEVEL       debug | info | warn | error | silent (LOG_LEVEL, info)
	  --dotenv FILE           read variables from FILE instead of ./.env
	  -h, --help              this help (after a command: that command's)

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
	  $ cliproxy-usage --compact
	  $ COLLECTOR_API_TOKEN=$(openssl rand -hex 24) cliproxy-usage --headless --host 0.0.0.0
`;

type Flags = {headless?: boolean; once?: boolean; json?: boolean; compact?: boolean; connect?: string} & Partial<Record<keyof typeof CONFIG_FLAGS, string>>;

const FLAGS = {
	headless: {type: 'boolean'},
	once: {type: 'boolean'},
	json: {type: 'boolean'},
	compact: {type: 'boolean'},
	connect: {type: 'string'},
	...CONFIG_FLAGS,
} as const;

async function main(argv: string[], io: CliIO): Promise<number> {
	// The dashboard's plain `cliproxy-usage` has nothing to parse: the parser is not even loaded (start-up time).
	let flags: Flags = {};
	if (argv.length > 0) {
		const {parseArgs, scanArgs} = await import('./commands/args.js');
		// The command is the first argument that is neither a flag nor a flag's value: `--db x report daily` works too.
		const scan = scanArgs(argv, FLAGS);
		const first = scan.positionals[0];
		if (first !== undefined) {
			const command = Object.hasOwn(COMMANDS, first) ? COMMANDS[first] : undefined;
			if (!command) {
				io.stderr(`cliproxy-usage: unknown command ${JSON.stringify(first)}; the commands are ${Object.keys(COMMANDS).join(', ')} (see cliproxy-usage --help)\n`);
				return EXIT.usage;
			}
			const at = scan.at[0]!;
			return (await command()).run([...argv.slice(0, at), ...argv.slice(at + 1)], io);
		}
		const parsed = parseArgs(argv, {command: '', flags: FLAGS, help: {'': HELP}}, io);
		if (typeof parsed === 'number') return parsed;
		flags = parsed.flags;
	}
	if (flags.connect !== undefined) {
		const {connect} = await import('./remote/connect.js');
		return connect(flags, io);
	}
	if (flags.headless && flags.once) {
		io.stderr('cliproxy-usage: --headless and --once cannot be combined: pick one.\n');
		return EXIT.usage;
	}
	if (flags.json && !flags.once) {
		io.stderr('cliproxy-usage: --json applies to --once here (the commands take their own --json); see cliproxy-usage --help\n');
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
