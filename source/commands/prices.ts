import {existsSync} from 'node:fs';
import {resolve} from 'node:path';
import type {Config} from '../core/config.js';
import {PriceService} from '../pricing/price-service.js';
import {createLogger, humanSink} from '../runtime/logger.js';
import {openDatabase, type Db} from '../store/database.js';
import {kebab, parseArgs, type HelpTexts} from './args.js';
import {CONFIG_FLAGS, CONFIG_FLAGS_HELP, loadConfig, usageError, type CliIO} from './common.js';
import {runReprice} from './prices-reprice.js';
import {runSet, runUnset} from './prices-set.js';
import {runShow} from './prices-show.js';
import {runUpdate} from './prices-update.js';

const HELP = `
	Usage
	  $ cliproxy-usage prices [show] [MODEL] [--provider P] [--json]
	  $ cliproxy-usage prices update [--json]
	  $ cliproxy-usage prices set MODEL --input USD --output USD [--cache-read USD] [--cache-write USD]
	  $ cliproxy-usage prices unset MODEL
	  $ cliproxy-usage prices reprice --since YYYY-MM-DD [--until YYYY-MM-DD] [--dry-run] [--json]

	Each subcommand has its own --help (cliproxy-usage prices set --help).
	  show      the price sources and every model seen with its price; with MODEL, how that
	            name was matched, its prices and the formula
	  update    fetch LiteLLM and llm-prices.com now and say what changed
	  set       your own price for a model (or _default), USD per million tokens
	  unset     remove your price for a model
	  reprice   price the requests of a date range again with today's prices

	New prices apply to requests collected from then on; stored requests keep the price they
	were given until you re-price them on purpose.
${CONFIG_FLAGS_HELP}

	Examples
	  $ cliproxy-usage prices
	  $ cliproxy-usage prices show claude-sonnet-4-5-20250929
	  $ cliproxy-usage prices set glm-4.6 --input 0.6 --output 2.2 --cache-read 0.11
	  $ cliproxy-usage prices reprice --since 2026-11-01 --until 2026-11-30 --dry-run
`;

const HELPS: HelpTexts = {
	'': HELP,
	show: `
	Usage
	  $ cliproxy-usage prices [show] [MODEL] [--provider P] [--json]

	Without MODEL: the price sources, most trusted first, and every model seen with the price it
	gets now; models with no known price are flagged. With MODEL: which source and key price it,
	why that name matched, the prices (long-context tiers too) and the cost formula.

	Options
	  --provider P   the CPA provider whose token semantics to show (claude, codex, gemini,
	                 antigravity, …); without it, the model name decides
	  --json         print JSON
${CONFIG_FLAGS_HELP}

	Examples
	  $ cliproxy-usage prices show
	  $ cliproxy-usage prices show claude-sonnet-4-5-20250929
	  $ cliproxy-usage prices show claude-sonnet-4-5 --provider antigravity
`,
	update: `
	Usage
	  $ cliproxy-usage prices update [--json]

	Fetches LiteLLM's model_prices_and_context_window.json and llm-prices.com's current-v1.json
	now (PRICES_LITELLM_URL, PRICES_LLM_PRICES_URL), keeps each as the cached copy, and lists
	what changed. Offline, nothing changes: prices stay cached or bundled.

	Options
	  --json    the fetch reports as JSON
${CONFIG_FLAGS_HELP}

	Exit codes: 0 at least one source fetched, 1 neither could be fetched, 2 bad usage.

	Examples
	  $ cliproxy-usage prices update
	  $ cliproxy-usage prices update --json
`,
	set: `
	Usage
	  $ cliproxy-usage prices set MODEL --input USD --output USD [--cache-read USD] [--cache-write USD]

	Your own price for MODEL (or _default, the price of unknown models), in USD per million
	tokens, kept in the database. It wins over every source for requests collected from now on;
	a running collector picks it up within a minute. A price that names only input and output
	keeps the cache prices of the source below it.

	Options
	  --input USD         input tokens
	  --output USD        output tokens
	  --cache-read USD    cache reads (optional)
	  --cache-write USD   cache writes (optional)
${CONFIG_FLAGS_HELP}

	Examples
	  $ cliproxy-usage prices set glm-4.6 --input 0.6 --output 2.2 --cache-read 0.11
	  $ cliproxy-usage prices set _default --input 3 --output 15
`,
	unset: `
	Usage
	  $ cliproxy-usage prices unset MODEL

	Removes your price for MODEL; it prices from the sources again.
${CONFIG_FLAGS_HELP}

	Examples
	  $ cliproxy-usage prices unset glm-4.6
`,
	reprice: `
	Usage
	  $ cliproxy-usage prices reprice --since YYYY-MM-DD [--until YYYY-MM-DD] [--dry-run] [--json]

	Prices the requests of those local days (in the configured zone; --until is inclusive and
	defaults to today) again with the prices in use now, re-prices the legacy counter deltas
	that overlap them, and rebuilds the hourly and daily totals they feed, in one transaction.

	Options
	  --since YYYY-MM-DD   first day
	  --until YYYY-MM-DD   last day (default today)
	  --dry-run            say what would change, write nothing
	  --json               print JSON
${CONFIG_FLAGS_HELP}

	Examples
	  $ cliproxy-usage prices reprice --since 2026-11-01 --until 2026-11-30 --dry-run
	  $ cliproxy-usage prices reprice --since 2026-11-01
`,
};

const FLAGS = {
	json: {type: 'boolean'},
	provider: {type: 'string'},
	input: {type: 'string'},
	output: {type: 'string'},
	cacheRead: {type: 'string'},
	cacheWrite: {type: 'string'},
	since: {type: 'string'},
	until: {type: 'string'},
	dryRun: {type: 'boolean'},
	...CONFIG_FLAGS,
} as const;

export type PricesFlags = Partial<{json: boolean; provider: string; input: string; output: string; cacheRead: string; cacheWrite: string; since: string; until: string; dryRun: boolean}>;

export type PricesContext = {config: Config; db: Db | null; prices: PriceService; flags: PricesFlags; args: string[]; io: CliIO};

/** Which flags each subcommand takes: any other is refused with a line naming it. */
const ALLOWED: Record<string, Array<keyof PricesFlags>> = {
	show: ['json', 'provider'],
	update: ['json'],
	set: ['input', 'output', 'cacheRead', 'cacheWrite'],
	unset: [],
	reprice: ['since', 'until', 'dryRun', 'json'],
};

export async function run(argv: string[], io: CliIO): Promise<number> {
	const cli = parseArgs(argv, {command: 'prices', help: HELPS, flags: FLAGS, examples: {provider: 'antigravity'}}, io);
	if (typeof cli === 'number') return cli;
	const [sub = 'show', ...args] = cli.input;
	const allowed = ALLOWED[sub];
	if (!allowed) return usageError(io, `prices: unknown subcommand "${sub}"; use show, update, set, unset or reprice (see cliproxy-usage prices --help)`);
	const flags = cli.flags as PricesFlags & Record<string, unknown>;
	for (const name of Object.keys(FLAGS) as Array<keyof typeof FLAGS>) {
		if (name in CONFIG_FLAGS || flags[name] === undefined || allowed.includes(name as keyof PricesFlags)) continue;
		return usageError(io, `prices ${sub} does not take --${kebab(name)} (see cliproxy-usage prices ${sub} --help)`);
	}
	const config = loadConfig(cli.flags, io);
	if (typeof config === 'number') return config;

	// `show` reads an existing database only; the others create it if needed.
	const needsDb = sub !== 'show' || existsSync(resolve(config.dbPath));
	const db = needsDb ? openDatabase(config.dbPath) : null;
	try {
		// The commands report fetches and unknown models themselves; the log adds only errors (or everything at debug).
		const logger = createLogger({level: config.logLevel === 'debug' ? 'debug' : 'error', sink: humanSink(io.stderr)});
		const prices = new PriceService({db, config: config.prices, logger, now: Date.now});
		const ctx: PricesContext = {config, db, prices, flags, args, io};
		switch (sub) {
			case 'update':
				return await runUpdate(ctx);
			case 'set':
				return runSet(ctx);
			case 'unset':
				return runUnset(ctx);
			case 'reprice':
				return runReprice(ctx);
			default:
				return runShow(ctx);
		}
	} finally {
		db?.close();
	}
}
