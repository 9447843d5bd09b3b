import {existsSync} from 'node:fs';
import {resolve} from 'node:path';
import meow from 'meow';
import type {Config} from '../core/config.js';
import {PriceService} from '../pricing/price-service.js';
import {createLogger, humanSink} from '../runtime/logger.js';
import {openDatabase, type Db} from '../store/database.js';
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

	show      the price sources and every model seen with its price; with MODEL, how that
	          name was matched, its prices and the formula (--provider picks the token semantics)
	update    fetch LiteLLM and llm-prices.com now and say what changed
	set       your own price for a model (or _default), USD per million tokens; wins over all sources
	unset     remove your price for a model
	reprice   price the requests of a date range again with today's prices and rebuild its
	          hourly and daily totals (days in the configured zone, --until inclusive, default today)

	New prices apply to requests collected from then on; stored requests keep the price they
	were given until you re-price them on purpose.
${CONFIG_FLAGS_HELP}

	Examples
	  $ cliproxy-usage prices show claude-sonnet-4-5-20250929
	  $ cliproxy-usage prices show claude-sonnet-4-5 --provider antigravity
	  $ cliproxy-usage prices set glm-4.6 --input 0.6 --output 2.2 --cache-read 0.11
	  $ cliproxy-usage prices reprice --since 2026-11-01 --until 2026-11-30 --dry-run
`;

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
	const cli = meow(HELP, {importMeta: import.meta, argv, allowUnknownFlags: false, booleanDefault: undefined, flags: FLAGS});
	const [sub = 'show', ...args] = cli.input;
	const allowed = ALLOWED[sub];
	if (!allowed) return usageError(io, `prices: unknown subcommand "${sub}"; use show, update, set, unset or reprice (see cliproxy-usage prices --help)`);
	const flags = cli.flags as PricesFlags & Record<string, unknown>;
	for (const name of Object.keys(FLAGS) as Array<keyof typeof FLAGS>) {
		if (name in CONFIG_FLAGS || flags[name] === undefined || allowed.includes(name as keyof PricesFlags)) continue;
		return usageError(io, `prices ${sub} does not take --${kebab(name)} (see cliproxy-usage prices --help)`);
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

export function kebab(name: string): string {
	return name.replace(/[A-Z]/g, c => `-${c.toLowerCase()}`);
}
