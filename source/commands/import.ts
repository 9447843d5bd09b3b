import {readFileSync} from 'node:fs';
import {resolve} from 'node:path';
import {createServices} from '../app/services.js';
import {FieldError} from '../core/cpa/fields.js';
import {planImport, readImportSource, type ImportSource} from '../core/cpa/usage-import.js';
import {localDate, zoneLabel} from '../core/time/zone.js';
import {EXIT, UserFacingError} from '../runtime/exit-codes.js';
import {createLogger, humanSink} from '../runtime/logger.js';
import {parseArgs} from './args.js';
import {CONFIG_FLAGS, CONFIG_FLAGS_HELP, loadConfig, usageError, type CliIO} from './common.js';

const HELP = `
	Usage
	  $ cliproxy-usage import FILE [--json]

	Merges a CPA v6 usage export (GET /v0/management/usage/export, or the management panel's
	export button) into the database, or a saved GET /v0/management/usage answer. FILE "-" reads
	standard input. Requests are keyed exactly as the collector keys them, so importing a file
	twice, or importing what the collector already collected, adds nothing. Safe while the
	collector runs; the collector itself is not started.

	Requests that CPA only counted (no per-request detail) have no time, so they cannot be placed
	on a day: they are counted and reported, not imported. A file whose structure is wrong
	writes nothing; a single malformed request is skipped and reported.

	Options
	  --json    print the outcome as JSON
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
	const cli = parseArgs(argv, {command: 'import', help: {'': HELP}, flags: {json: {type: 'boolean'}, ...CONFIG_FLAGS}}, io);
	if (typeof cli === 'number') return cli;
	const [file, ...extra] = cli.input;
	if (file === undefined) return usageError(io, 'import needs a FILE: a CPA usage export, or - for standard input (see cliproxy-usage import --help).');
	if (extra.length > 0) return usageError(io, `import takes one FILE; unexpected ${JSON.stringify(extra[0])}.`);
	const config = loadConfig(cli.flags, io);
	if (typeof config === 'number') return config;

	const name = file === '-' ? 'standard input' : file;
	const source = readSource(await readText(file), name);
	const logger = createLogger({level: config.logLevel === 'info' ? 'warn' : config.logLevel, sink: humanSink(io.stderr), secrets: [config.managementKey, config.apiToken]});
	const services = createServices(config, {logger});
	try {
		const plan = planImport(source, services.state.salt());
		const at = services.now();
		let added = 0;
		let present = 0;
		let first = Infinity;
		let last = -Infinity;
		for (let i = 0; i < plan.records.length; i += CHUNK) {
			const result = services.writer.ingest(plan.records.slice(i, i + CHUNK), at);
			added += result.inserted;
			present += result.duplicates;
		}
		for (const r of plan.records) {
			if (r.timestampMs < first) first = r.timestampMs;
			if (r.timestampMs > last) last = r.timestampMs;
		}
		for (const p of plan.problems.slice(0, 10)) io.stderr(`warning: skipped a malformed request: ${p.field}: ${p.problem}\n`);
		if (plan.problems.length > 10) io.stderr(`warning: skipped ${plan.problems.length - 10} more malformed requests\n`);
		const counterOnly = plan.counterOnly.reduce((s, c) => s + c.requests, 0);
		const span = plan.records.length > 0 ? {first: localDate(config.zone, first), last: localDate(config.zone, last)} : null;
		if (cli.flags.json) {
			io.stdout(
				`${JSON.stringify(
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
					null,
					2,
				)}\n`,
			);
		} else {
			const what = source.kind === 'export' ? `CPA usage export${source.exportedAt ? ` of ${source.exportedAt}` : ''}` : 'CPA /usage answer';
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

async function readText(file: string): Promise<string> {
	try {
		if (file !== '-') return readFileSync(file, 'utf8');
		const chunks: Buffer[] = [];
		for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
		return Buffer.concat(chunks).toString('utf8');
	} catch (error) {
		const code = (error as {code?: string}).code;
		const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
		throw new UserFacingError(`Cannot read ${file === '-' ? 'standard input' : resolve(file)}: ${why}.`);
	}
}

/** Parsed and checked before the database is opened: a bad file writes nothing. */
function readSource(text: string, name: string): ImportSource {
	let payload: unknown;
	try {
		payload = JSON.parse(text);
	} catch (error) {
		// V8's message quotes the text around the error, and that text may hold a client key.
		const at = /position (\d+)/.exec((error as Error).message);
		throw new UserFacingError(`${name} is not valid JSON${at ? ` (error at character ${at[1]})` : ''}; nothing was imported.`);
	}
	try {
		return readImportSource(payload);
	} catch (error) {
		if (error instanceof FieldError) throw new UserFacingError(`${name} is not a usage export: ${error.message}; nothing was imported.`);
		throw error;
	}
}
