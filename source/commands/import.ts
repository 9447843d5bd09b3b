import {resolve} from 'node:path';
import {createServices} from '../app/services.js';
import {FieldError} from '../core/cpa/fields.js';
import {ImportTokenReader} from '../core/cpa/import-tokens.js';
import {counterOnlyOf, DetailReader, readImportSource, type ImportSource} from '../core/cpa/usage-import.js';
import type {UsageRecord} from '../core/cpa/usage-record.js';
import type {Config} from '../core/config.js';
import {localDate, zoneLabel} from '../core/time/zone.js';
import {safeJson, safeText} from '../core/text/safe-text.js';
import {EXIT, UserFacingError} from '../runtime/exit-codes.js';
import {createLogger, humanSink} from '../runtime/logger.js';
import {parseArgs} from './args.js';
import {readJsonTokens, spoolStdin} from './import-read.js';
import {CONFIG_FLAGS, CONFIG_FLAGS_HELP, loadConfig, usageError, type CliIO} from './common.js';

const HELP = `
	Usage
	  $ cliproxy-usage import FILE [--instance NAME] [--json]

	Merges a CPA v6 usage export (GET /v0/management/usage/export, or the management panel's
	export button) into the database, or a saved GET /v0/management/usage answer. FILE "-" reads
	standard input. Requests are keyed exactly as the collector keys them, so importing a file
	twice, or importing what the collector already collected, adds nothing. Safe while the
	collector runs; the collector itself is not started.

	Requests that CPA only counted (no per-request detail) have no time, so they cannot be placed
	on a day: they are counted and reported, not imported. A file whose structure is wrong
	writes nothing; a single malformed request is skipped and reported.

	Options
	  --instance NAME   the CPA the export came from, by its name in CLIPROXY_URL (several CPAs;
	                    default the first): its requests are keyed and counted as that CPA's
	  --json            print the outcome as JSON
${CONFIG_FLAGS_HELP}

	Exit codes: 0 imported (possibly nothing new), 1 the file or database cannot be read, 2 bad usage.

	Examples
	  $ cliproxy-usage import usage-export.json
	  $ curl -s -H "Authorization: Bearer $CLIPROXY_MANAGEMENT_KEY" \\
	      http://localhost:8317/v0/management/usage/export | cliproxy-usage import -
`;

/** Records per transaction: each commits on its own, so a re-run after a failure picks up the rest. */
const CHUNK = 5000;

export async function run(argv: string[], io: CliIO): Promise<number> {
	const cli = parseArgs(argv, {command: 'import', help: {'': HELP}, flags: {json: {type: 'boolean'}, instance: {type: 'string'}, ...CONFIG_FLAGS}}, io);
	if (typeof cli === 'number') return cli;
	const [file, ...extra] = cli.input;
	if (file === undefined) return usageError(io, 'import needs a FILE: a CPA usage export, or - for standard input (see cliproxy-usage import --help).');
	if (extra.length > 0) return usageError(io, `import takes one FILE; unexpected ${JSON.stringify(extra[0])}.`);
	const config = loadConfig(cli.flags, io);
	if (typeof config === 'number') return config;
	const instance = cli.flags.instance?.trim();
	if (instance !== undefined && !config.instances.some(i => i.name === instance)) {
		return usageError(io, `--instance must name a CPA in CLIPROXY_URL (${config.instances.map(i => i.name).join(', ')}); got ${JSON.stringify(instance)}.`);
	}

	const name = file === '-' ? 'standard input' : file;
	const input = file === '-' ? await spoolStdin() : {path: resolve(file), remove: () => {}};
	try {
		return await importFile(input.path, name, file, config, cli.flags.json ?? false, io, instance);
	} finally {
		input.remove();
	}
}

/**
 * Two passes over the file, each reading it as a stream of tokens: the first checks its
 * whole structure and writes nothing (a bad file is refused before the database is even
 * opened); the second imports the details, committing every CHUNK of them.
 */
async function importFile(path: string, name: string, file: string, config: Config, json: boolean, io: CliIO, instance?: string): Promise<number> {
	const names = {json: name, read: file === '-' ? name : resolve(file)};
	const check = new ImportTokenReader(null);
	await readJsonTokens(path, t => check.push(t), names);
	const source = readSource(check.result(), name);
	const logger = createLogger({level: config.logLevel === 'info' ? 'warn' : config.logLevel, sink: humanSink(io.stderr), secrets: [...config.instances.map(i => i.managementKey), config.apiToken]});
	const services = createServices(config, {logger});
	const writer = (services.instances.find(i => i.name === instance) ?? services.instances[0]!).writer;
	try {
		const at = services.now();
		const reader = new DetailReader(services.state.salt(), at);
		const refused: Array<{index: number; field: string; problem: string}> = [];
		let added = 0;
		let present = 0;
		let first = Infinity;
		let last = -Infinity;
		let chunk: UsageRecord[] = [];
		const commit = () => {
			const result = writer.ingest(chunk, at);
			added += result.inserted;
			present += result.duplicates;
			refused.push(...result.refused);
			chunk = [];
		};
		const details = new ImportTokenReader((api, model, detail) => {
			const record = reader.read(api, model, detail);
			if (!record) return;
			if (record.timestampMs < first) first = record.timestampMs;
			if (record.timestampMs > last) last = record.timestampMs;
			chunk.push(record);
			if (chunk.length >= CHUNK) commit();
		});
		await readJsonTokens(path, t => details.push(t), names);
		if (chunk.length > 0) commit();
		const plan = {problems: [...reader.problems, ...refused], counterOnly: counterOnlyOf(source, reader)};
		// Field names quote the file's api labels and model names: shown, never raw.
		for (const p of plan.problems.slice(0, 10)) io.stderr(`warning: skipped a malformed request: ${safeText(p.field)}: ${safeText(p.problem)}\n`);
		if (plan.problems.length > 10) io.stderr(`warning: skipped ${plan.problems.length - 10} more malformed requests\n`);
		const counterOnly = plan.counterOnly.reduce((s, c) => s + c.requests, 0);
		const span = first <= last ? {first: localDate(config.zone, first), last: localDate(config.zone, last)} : null;
		if (json) {
			io.stdout(
				`${safeJson(
					{
						file: file === '-' ? '-' : resolve(file),
						kind: source.kind,
						exported_at: source.exportedAt,
						database: resolve(config.dbPath),
						added,
						already_present: present,
						malformed_skipped: plan.problems.length,
						counter_only_not_imported: counterOnly,
						counter_only: plan.counterOnly.map(c => ({api: c.apiLabel, model: c.model, requests: c.requests})),
						first_date: span?.first ?? null,
						last_date: span?.last ?? null,
						zone: zoneLabel(config.zone),
					},
					2,
				)}\n`,
			);
		} else {
			const what = source.kind === 'export' ? `CPA usage export${source.exportedAt ? ` of ${safeText(source.exportedAt, 'version')}` : ''}` : 'CPA /usage answer';
			io.stdout(`Imported ${name} (${what}) into ${resolve(config.dbPath)}\n`);
			io.stdout(`  ${added.toLocaleString('en-US')} added, ${present.toLocaleString('en-US')} already present, ${plan.problems.length.toLocaleString('en-US')} malformed skipped\n`);
			if (span) io.stdout(`  requests from ${span.first} to ${span.last} (${zoneLabel(config.zone)})\n`);
			if (counterOnly > 0) {
				io.stdout(`  ${counterOnly.toLocaleString('en-US')} request${counterOnly === 1 ? '' : 's'} only counted by CPA, with no per-request detail: they cannot be placed in time, so they were not imported\n`);
			}
		}
		return EXIT.ok;
	} finally {
		await services.cleanup.run();
	}
}

/** The file's structure, checked before the database is opened: a bad file writes nothing. */
function readSource(payload: unknown, name: string): ImportSource {
	try {
		return readImportSource(payload);
	} catch (error) {
		if (error instanceof FieldError) throw new UserFacingError(`${name} is not a usage export: ${safeText(error.message)}; nothing was imported.`);
		throw error;
	}
}
