import {formatBytes} from '../core/report/format.js';
import type {Config} from '../core/config.js';
import {renderTable} from '../core/report/text-table.js';
import {localDate, localParts, zoneLabel, type Zone} from '../core/time/zone.js';
import type {Db} from '../store/database.js';
import {readDbStats} from '../store/db-stats.js';
import type {CliIO} from './common.js';
import {safeJson} from '../core/text/safe-text.js';

export function printStats(db: Db, config: Config, json: boolean, io: CliIO): void {
	const zone = config.zone;
	const s = readDbStats(db, db.name, zone);
	if (json) {
		io.stdout(
			`${safeJson(
				{
					file: s.file,
					file_bytes: s.fileBytes,
					wal_bytes: s.walBytes,
					free_bytes: s.freeBytes,
					schema_version: s.schemaVersion,
					zone: zoneLabel(zone),
					requests_first: s.requests ? new Date(s.requests.first).toISOString() : null,
					requests_last: s.requests ? new Date(s.requests.last).toISOString() : null,
					days_first: s.days?.first ?? null,
					days_last: s.days?.last ?? null,
					raw_pruned_before: s.prunedBefore === null ? null : new Date(s.prunedBefore).toISOString(),
					tables: Object.fromEntries(s.tables.map(t => [t.name, t.rows])),
				},
				2,
			)}\n`,
		);
		return;
	}
	const lines = [
		['Database', s.file],
		['Schema', `version ${s.schemaVersion}`],
		['Size', `${formatBytes(s.fileBytes)} + WAL ${formatBytes(s.walBytes)}${s.freeBytes > 0 ? ` (${formatBytes(s.freeBytes)} free inside; db vacuum returns it)` : ''}`],
		['Requests', s.requests ? `${localTime(zone, s.requests.first)} – ${localTime(zone, s.requests.last)} (${zoneLabel(zone)})` : 'none stored'],
		['Daily rollups', s.days ? `${s.days.first} – ${s.days.last}` : 'none'],
	];
	if (s.prunedBefore !== null) lines.push(['Pruned', `raw rows before ${localDate(zone, s.prunedBefore)} (the rollups keep those days)`]);
	for (const [label, value] of lines) io.stdout(`${label!.padEnd(14)}${value}\n`);
	io.stdout(
		renderTable(
			[
				{header: 'Table', align: 'left', priority: Infinity},
				{header: 'Rows', align: 'right', priority: 1},
			],
			s.tables.map(t => [t.name, t.rows.toLocaleString('en-US')]),
		).text,
	);
}

function localTime(zone: Zone, at: number): string {
	const p = localParts(zone, at);
	return `${localDate(zone, at)} ${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
}
