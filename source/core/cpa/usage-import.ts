import {FieldError, isObject} from './fields.js';
import {readLegacyDetail, readLegacyUsage, type LegacyPayload} from './legacy-usage.js';
import {isEndpointLabel, maskSecret} from './secrets.js';
import type {RecordProblem, UsageRecord} from './usage-record.js';

/** What `import` accepts: CPA v6's `GET /usage/export` file, or a saved `GET /usage` answer. */
export type ImportSource = {kind: 'export' | 'usage'; exportedAt: string | null; usage: LegacyPayload};

export const IMPORT_SHAPES = 'a CPA usage export ({"version":1,"exported_at":…,"usage":{…}}) or a saved /usage answer ({"usage":{…}})';

/**
 * Checks the whole file's structure before anything is written: a wrong container rejects
 * the file. Single details are checked later, one by one, as the collector does.
 */
export function readImportSource(payload: unknown): ImportSource {
	if (!isObject(payload)) throw new FieldError('file', `expected a JSON object: ${IMPORT_SHAPES}`);
	if (!('usage' in payload)) throw new FieldError('usage', `missing: expected ${IMPORT_SHAPES}`);
	let kind: ImportSource['kind'] = 'usage';
	let exportedAt: string | null = null;
	if ('version' in payload) {
		const version = payload['version'];
		// CPA's own import takes 0 or 1 (its exports always say 1).
		if (version !== 0 && version !== 1) throw new FieldError('version', `unsupported export version ${JSON.stringify(version)}: this reads CPA's version 1 exports`);
		kind = 'export';
		const at = payload['exported_at'];
		if (at !== undefined && at !== null && typeof at !== 'string') throw new FieldError('exported_at', 'expected an RFC 3339 timestamp');
		exportedAt = typeof at === 'string' ? at : null;
	}
	return {kind, exportedAt, usage: readLegacyUsage(payload['usage'])};
}

export type CounterOnly = {apiLabel: string; model: string; requests: number};

export type ImportPlan = {
	records: UsageRecord[];
	problems: RecordProblem[];
	/** Requests CPA counted but did not list: with no timestamp they cannot be placed in time, so they are not imported. */
	counterOnly: CounterOnly[];
};

/**
 * Turns details into records one at a time, keyed exactly as the collector keys them (so
 * re-imports and polled requests dedupe), keeping each malformed one's place and counting
 * the details of each model.
 */
export class DetailReader {
	readonly problems: RecordProblem[] = [];
	private index = 0;
	private readonly perModel = new Map<string, number>();

	/** Old exports are welcome (back to 2020); details dated more than a day after `now` are skipped like other malformed ones. */
	constructor(
		private readonly salt: string,
		private readonly now: number,
	) {}

	read(api: string, model: string, detail: unknown): UsageRecord | null {
		const key = JSON.stringify([api, model]);
		const i = this.perModel.get(key) ?? 0;
		this.perModel.set(key, i + 1);
		const index = this.index++;
		try {
			return readLegacyDetail(api, model, detail, this.salt, this.now, 'import');
		} catch (error) {
			if (!(error instanceof FieldError)) throw error;
			this.problems.push({index, field: `${apiLabelOf(api)} ${model} details[${i}].${error.field}`, problem: error.problem});
			return null;
		}
	}

	/** Details read for one model. */
	seen(api: string, model: string): number {
		return this.perModel.get(JSON.stringify([api, model])) ?? 0;
	}
}

function apiLabelOf(api: string): string {
	return isEndpointLabel(api) ? api : maskSecret(api);
}

/** Requests a model's counters have beyond its details: with no time they cannot be imported. */
export function counterOnlyOf(source: ImportSource, reader: DetailReader): CounterOnly[] {
	const out: CounterOnly[] = [];
	for (const {api, models} of source.usage.apis) {
		for (const m of models) {
			const missing = m.totalRequests - reader.seen(api, m.model);
			if (missing > 0) out.push({apiLabel: apiLabelOf(api), model: m.model, requests: missing});
		}
	}
	return out;
}

/** Every detail of a whole payload as a record (the streaming import reads the same way, detail by detail). */
export function planImport(source: ImportSource, salt: string, now: number): ImportPlan {
	const reader = new DetailReader(salt, now);
	const records: UsageRecord[] = [];
	for (const {api, models} of source.usage.apis) {
		for (const m of models) {
			for (const detail of m.details ?? []) {
				const record = reader.read(api, m.model, detail);
				if (record) records.push(record);
			}
		}
	}
	return {records, problems: reader.problems, counterOnly: counterOnlyOf(source, reader)};
}
