import {EventBus} from '../collector/event-bus.js';
import {LimitInputError, type LimitInput} from '../core/limits/input.js';
import {EXIT} from '../runtime/exit-codes.js';
import {openDatabase} from '../store/database.js';
import {LimitsService} from '../limits/limits-service.js';
import {parseArgs} from './args.js';
import {HELPS} from './limits-help.js';
import {CONFIG_FLAGS, loadConfig, usageError, type CliIO} from './common.js';
import {describeConfig, describeWindow, describeLimits, formatLocalTime} from '../core/limits/describe.js';
import {statusBlock} from './limits-text.js';
import {anchorExpiry} from '../core/limits/window.js';
import {safeJson} from '../core/text/safe-text.js';

const FLAG_OF: Record<keyof LimitInput, string> = {
	provider: '--provider',
	tier_name: '--tier',
	model_pattern: '--pattern',
	strategy: '--strategy',
	window_minutes: '--window-minutes',
	token_limit: '--tokens',
	request_limit: '--requests',
	cost_limit_usd: '--cost',
};

const ACTIONS = ['list', 'add', 'remove', 'reset'];

export async function run(argv: string[], io: CliIO): Promise<number> {
	const cli = parseArgs(
		argv,
		{
			command: 'limits',
			help: HELPS,
			flags: {
				json: {type: 'boolean'},
				provider: {type: 'string'},
				tier: {type: 'string'},
				pattern: {type: 'string'},
				strategy: {type: 'string'},
				windowMinutes: {type: 'string'},
				tokens: {type: 'string'},
				requests: {type: 'string'},
				cost: {type: 'string'},
				...CONFIG_FLAGS,
			},
		},
		io,
	);
	if (typeof cli === 'number') return cli;
	const {flags, input} = cli;
	const [action, idText, ...extra] = input;
	if (action === undefined || !ACTIONS.includes(action)) {
		return usageError(io, `limits needs one of ${ACTIONS.join(', ')}${action === undefined ? '' : ` (got "${action}")`}. Run cliproxy-usage limits --help.`);
	}
	if (extra.length > 0 || (idText !== undefined && (action === 'list' || action === 'add'))) {
		return usageError(io, `limits ${action}: unexpected argument "${extra[0] ?? idText}". Run cliproxy-usage limits --help.`);
	}
	const addFlags = (['provider', 'tier', 'pattern', 'strategy', 'windowMinutes', 'tokens', 'requests', 'cost'] as const).filter(f => flags[f] !== undefined);
	if (action !== 'add' && addFlags.length > 0) {
		return usageError(io, `limits ${action}: --${addFlags[0]!.replace(/[A-Z]/g, c => `-${c.toLowerCase()}`)} applies only to limits add`);
	}
	if (action === 'remove' && flags.json) return usageError(io, 'limits remove: --json applies only to list, add and reset');

	let id: number | undefined;
	if (action === 'remove' || action === 'reset') {
		if (idText === undefined || !/^\d{1,15}$/.test(idText) || Number(idText) < 1) {
			return usageError(io, `limits ${action}: ID must be a config id as shown by limits list, such as 2 (got ${idText === undefined ? 'nothing' : `"${idText}"`})`);
		}
		id = Number(idText);
	}
	let limitInput: LimitInput | number | undefined;
	if (action === 'add') {
		limitInput = parseAddFlags(flags, io);
		if (typeof limitInput === 'number') return limitInput;
	}

	const config = loadConfig(flags, io);
	if (typeof config === 'number') return config;
	const db = openDatabase(config.dbPath);
	try {
		const service = new LimitsService(db, config.zone, new EventBus(), Date.now);
		const out = (value: unknown) => io.stdout(`${safeJson(value, 2)}\n`);
		switch (action) {
			case 'list': {
				const statuses = service.list();
				if (flags.json) out(statuses);
				else if (statuses.length === 0) {
					io.stdout('No rate limits configured. Add one, for example:\n  cliproxy-usage limits add --provider Anthropic --tier Pro --pattern claude --tokens 1.5M --strategy rolling --window-minutes 300\n');
				} else io.stdout(`${statuses.map(s => statusBlock(s, config.zone)).join('\n')}`);
				return EXIT.ok;
			}
			case 'add': {
				let result;
				try {
					result = service.add(limitInput as LimitInput);
				} catch (error) {
					if (error instanceof LimitInputError) return usageError(io, `limits add: ${FLAG_OF[error.field]} ${error.problem}`);
					throw error;
				}
				if (flags.json) out(result);
				else {
					const c = result.status.config;
					io.stdout(`Added limit ${describeConfig(c)}: ${describeLimits(c)}, ${describeWindow(c)}\n${statusBlock(result.status, config.zone)}`);
					for (const w of result.warnings) io.stderr(`warning: ${w}\n`);
				}
				return EXIT.ok;
			}
			case 'remove': {
				const existing = service.configs().find(c => c.id === id);
				if (!existing || !service.remove(id!)) return unknownId(io, action, id!);
				io.stdout(`Removed limit ${describeConfig(existing)}.\n`);
				return EXIT.ok;
			}
			case 'reset': {
				const status = service.reset(id!);
				if (!status) return unknownId(io, action, id!);
				if (flags.json) out(status);
				else {
					const c = status.config;
					const until = formatLocalTime(config.zone, anchorExpiry({strategy: c.strategy, windowMinutes: c.window_minutes, anchor: status.window_start}, status.window_start, config.zone));
					io.stdout(`Reset limit ${describeConfig(c)}: counting from ${formatLocalTime(config.zone, status.window_start)} until ${until}.\n${statusBlock(status, config.zone)}`);
				}
				return EXIT.ok;
			}
		}
		return EXIT.usage;
	} finally {
		db.close();
	}
}

function unknownId(io: CliIO, action: string, id: number): number {
	return usageError(io, `limits ${action}: there is no limit config ${id}; run cliproxy-usage limits list for the ids`);
}

type AddFlags = Partial<Record<'provider' | 'tier' | 'pattern' | 'strategy' | 'windowMinutes' | 'tokens' | 'requests' | 'cost', string>>;

/** Turns the flags into a LimitInput; a value that is not a number gets one line naming its flag. */
function parseAddFlags(flags: AddFlags, io: CliIO): LimitInput | number {
	if (flags.tokens === undefined && flags.requests === undefined && flags.cost === undefined) {
		return usageError(io, 'limits add: give at least one limit: --tokens N, --requests N or --cost USD');
	}
	const input: LimitInput = {provider: flags.provider, tier_name: flags.tier, model_pattern: flags.pattern, strategy: flags.strategy?.toLowerCase()};
	for (const [flag, field] of [
		['windowMinutes', 'window_minutes'],
		['tokens', 'token_limit'],
		['requests', 'request_limit'],
	] as const) {
		const raw = flags[flag];
		if (raw === undefined) continue;
		const value = parseCount(raw);
		if (value === null) {
			const example = flag === 'windowMinutes' ? '300' : '800000, 800k or 1.5M';
			return usageError(io, `limits add: ${FLAG_OF[field]} must be a positive whole number such as ${example} (got "${raw}")`);
		}
		input[field] = value;
	}
	if (flags.cost !== undefined) {
		const m = /^\$?(\d+(?:\.\d+)?)$/.exec(flags.cost.trim());
		if (!m || Number(m[1]) <= 0) return usageError(io, `limits add: --cost must be a positive amount of US dollars such as 25 or 7.50 (got "${flags.cost}")`);
		input.cost_limit_usd = Number(m[1]);
	}
	return input;
}

/** "800000", "800_000", "800,000", "800k", "1.5M", "2B" → a positive whole number, else null. */
export function parseCount(text: string): number | null {
	const m = /^(\d+(?:\.\d+)?)([kmb])?$/i.exec(text.trim().replace(/[_,]/g, ''));
	if (!m) return null;
	const scale = {k: 1e3, m: 1e6, b: 1e9}[m[2]?.toLowerCase() as 'k' | 'm' | 'b'] ?? 1;
	const value = Math.round(Number(m[1]) * scale * 1e6) / 1e6;
	return Number.isSafeInteger(value) && value > 0 ? value : null;
}
