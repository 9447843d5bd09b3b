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
 * Every detail as a record keyed exactly as the collector keys it, so re-imports and polled
 * requests dedupe. Old exports are welcome (back to 2020); details dated more than a day after
 * `now` are skipped like other malformed ones.
 */
export function planImport(source: ImportSource, salt: string, now: number): ImportPlan {
	const records: UsageRecord[] = [];
	const problems: RecordProblem[] = [];
	const counterOnly: CounterOnly[] = [];
	let index = 0;
	for (const {api, models} of source.usage.apis) {
		const apiLabel = isEndpointLabel(api) ? api : maskSecret(api);
		for (const m of models) {
			const details = m.details ?? [];
			details.forEach((detail, i) => {
				try {
					records.push(readLegacyDetail(api, m.model, detail, salt, now, 'import'));
				} catch (error) {
					if (!(error instanceof FieldError)) throw error;
					problems.push({index: index + i, field: `${apiLabel} ${m.model} details[${i}].${error.field}`, problem: error.problem});
				}
			});
			index += details.length;
			const missing = m.totalRequests - details.length;
			if (missing > 0) counterOnly.push({apiLabel, model: m.model, requests: missing});
		}
	}
	return {records, problems, counterOnly};
}
