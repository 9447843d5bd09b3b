import meow, {type AnyFlags, type Result} from 'meow';
import {EXIT} from '../runtime/exit-codes.js';
import type {CliIO} from './common.js';

/** A command's help: the overview under '' and a text of its own for each subcommand that has one. */
export type HelpTexts = Readonly<Record<string, string>>;

export type ArgsSpec<F extends AnyFlags> = {
	/** `report`, `limits`, …; '' for the top level. */
	command: string;
	flags: F;
	help: HelpTexts;
	/** Subcommands that share the command's overview as their help (`report daily`). */
	subcommands?: readonly string[];
	/** A value to show when a string flag comes without one, when the shared example does not fit. */
	examples?: Readonly<Record<string, string>>;
};

/** What `--since` with no value is told to look like. */
const EXAMPLES: Readonly<Record<string, string>> = {
	since: '2026-11-01',
	until: '2026-11-30',
	model: 'sonnet',
	url: 'http://localhost:8317',
	source: 'queue',
	interval: '300',
	queueInterval: '5',
	port: '5001',
	host: '127.0.0.1',
	timezone: 'Europe/Berlin',
	tzOffset: '-5',
	db: './data/collector.db',
	logLevel: 'debug',
	dotenv: '.env',
	connect: 'http://server:5001',
	olderThan: '90',
	provider: 'Anthropic',
	tier: 'Pro',
	pattern: 'claude',
	strategy: 'daily',
	windowMinutes: '300',
	tokens: '1.5M',
	requests: '500',
	cost: '20',
	input: '0.6',
	output: '2.2',
	cacheRead: '0.11',
	cacheWrite: '0.75',
};

const NEGATIVE_NUMBER = /^-(?:\d+|\d*\.\d+)(?:e[+-]?\d+)?$/i;

export function kebab(name: string): string {
	return name.replace(/[A-Z]/g, c => `-${c.toLowerCase()}`);
}

/** `at`: where each positional stands in the arguments. */
type Scan = {help: boolean; positionals: string[]; at: number[]; unknown?: string; missing?: string; repeated?: string};

/** Walks the arguments the way meow (yargs-parser) reads them, to find help, unknown flags and flags without a value. */
export function scanArgs(argv: readonly string[], flags: AnyFlags): Scan {
	const types = new Map<string, string>();
	for (const [name, def] of Object.entries(flags)) {
		types.set(kebab(name), def.type ?? 'string');
		types.set(name, def.type ?? 'string');
	}
	const scan: Scan = {help: false, positionals: [], at: []};
	const seen = new Set<string>();
	for (let i = 0; i < argv.length; i++) {
		const token = argv[i]!;
		if (token === '--') {
			for (let j = i + 1; j < argv.length; j++) {
				scan.positionals.push(argv[j]!);
				scan.at.push(j);
			}
			break;
		}
		if (token === '--help' || token === '-h') {
			scan.help = true;
			continue;
		}
		if (!token.startsWith('-') || token === '-' || NEGATIVE_NUMBER.test(token)) {
			scan.positionals.push(token);
			scan.at.push(i);
			continue;
		}
		const body = token.startsWith('--') ? token.slice(2) : null;
		const eq = body?.indexOf('=') ?? -1;
		const name = body === null ? null : eq >= 0 ? body.slice(0, eq) : body;
		const type = name === null ? undefined : (types.get(name) ?? (name.startsWith('no-') && types.get(name.slice(3)) === 'boolean' ? 'boolean' : undefined));
		if (type === undefined) {
			scan.unknown ??= eq >= 0 ? token.slice(0, eq + 2) : token;
			continue;
		}
		if (type !== 'string') continue;
		const canonical = kebab(name!);
		if (seen.has(canonical)) scan.repeated ??= canonical;
		seen.add(canonical);
		if (eq >= 0) {
			if (body!.slice(eq + 1) === '') scan.missing ??= name!;
			continue;
		}
		const next = argv[i + 1];
		if (next === undefined || next === '' || next === '--' || next === '--help' || next === '-h' || (next.startsWith('-') && next !== '-' && !NEGATIVE_NUMBER.test(next))) {
			scan.missing ??= name!;
			continue;
		}
		i++;
	}
	return scan;
}

/** Strips the common indentation of a help text and indents it by two spaces, as meow does. */
export function formatHelp(text: string): string {
	const lines = text.replace(/^\n+|\s+$/g, '').split('\n');
	const indent = Math.min(...lines.filter(l => l.trim() !== '').map(l => /^\s*/.exec(l)![0].length));
	return `\n${lines.map(l => (l.trim() === '' ? '' : `  ${l.slice(indent)}`)).join('\n')}\n\n`;
}

/**
 * Parses a command's arguments. `--help` or `-h` anywhere prints the help of the subcommand
 * named (or of the command) and nothing else happens; an unknown flag or a flag without its
 * value is one line naming it and pointing to --help. Those return the exit code instead.
 */
export function parseArgs<F extends AnyFlags>(argv: readonly string[], spec: ArgsSpec<F>, io: CliIO): Pick<Result<F>, 'input' | 'flags'> | number {
	const scan = scanArgs(argv, spec.flags);
	const first = scan.positionals[0];
	const topic = first !== undefined && first !== '' && (Object.hasOwn(spec.help, first) || spec.subcommands?.includes(first)) ? first : '';
	if (scan.help) {
		io.stdout(formatHelp(Object.hasOwn(spec.help, topic) ? spec.help[topic]! : spec.help['']!));
		return EXIT.ok;
	}
	const where = [spec.command, topic].filter(Boolean).join(' ');
	const see = `see cliproxy-usage ${where ? `${where} ` : ''}--help`;
	const prefix = where ? `${where}: ` : '';
	if (scan.unknown !== undefined) {
		io.stderr(`cliproxy-usage: ${prefix}unknown flag ${scan.unknown}; ${see}\n`);
		return EXIT.usage;
	}
	if (scan.missing !== undefined) {
		const camel = scan.missing.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
		const example = spec.examples?.[camel] ?? EXAMPLES[camel];
		io.stderr(`cliproxy-usage: ${prefix}--${kebab(camel)} needs a value${example ? `, such as --${kebab(camel)} ${example}` : ''}; ${see}\n`);
		return EXIT.usage;
	}
	if (scan.repeated !== undefined) {
		io.stderr(`cliproxy-usage: ${prefix}--${scan.repeated} is given more than once; give it once; ${see}\n`);
		return EXIT.usage;
	}
	try {
		const cli = meow({importMeta: import.meta, argv: [...argv], flags: spec.flags, allowUnknownFlags: false, autoHelp: false, autoVersion: false, booleanDefault: undefined});
		return {input: cli.input, flags: cli.flags};
	} catch (error) {
		// The scan above leaves meow nothing to refuse; should it still, its reason, in one line.
		io.stderr(`cliproxy-usage: ${prefix}${(error as Error).message.split('\n')[0]}; ${see}\n`);
		return EXIT.usage;
	}
}
