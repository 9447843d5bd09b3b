import {existsSync} from 'node:fs';
import {resolve} from 'node:path';
import type {Config} from '../core/config.js';
import {PriceService} from '../pricing/price-service.js';
import {createLogger, humanSink} from '../runtime/logger.js';
import {openDatabase, type Db} from '../store/database.js';
import {kebab, parseArgs} from './args.js';
import {HELPS} from './prices-help.js';
import {CONFIG_FLAGS, loadConfig, usageError, type CliIO} from './common.js';
import {runReprice} from './prices-reprice.js';
import {runSet, runUnset} from './prices-set.js';
import {runShow} from './prices-show.js';
import {runUpdate} from './prices-update.js';

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
