import type {CollectorStatus} from '../collector/status.js';
import {localDate, zoneLabel, type Zone} from '../core/time/zone.js';
import type {Db} from '../store/database.js';
import {dayTotalsJson, readDayTotals} from '../store/usage-queries.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** `GET /api/collector/status`: the collector's state, its source, and today's totals. */
export function statusView(s: CollectorStatus, db: Db, zone: Zone, now: number, counts: {events: number; subscribers: number}) {
	const today = readDayTotals(db, zone, localDate(zone, now));
	const {name, ...first} = instanceView(s);
	return {
		instance: name,
		...first,
		today: dayTotalsJson(today, zoneLabel(zone)),
		warnings: s.warnings,
		store: s.store
			? {
					up: s.store.up,
					since: iso(s.store.since),
					code: s.store.code,
					error: s.store.error,
					spooled_pages: s.store.spooledPages,
					spooled_records: s.store.spooledRecords,
					spool_file: s.store.spoolFile,
					spool_error: s.store.spoolError,
					memory_only_pages: s.store.memoryOnly,
					last_probe_at: iso(s.store.lastProbeAt),
					summary: s.store.summary,
				}
			: null,
		event_count: counts.events,
		subscriber_count: counts.subscribers,
		/** Every CPA's own collector (the fields above are the first one's; today is across all). */
		instances: (s.instances ?? [s]).map(one => ({...instanceView(one), warnings: one.warnings})),
	};
}

/** One CPA's collector: the fields the status has always had for the only one. */
function instanceView(s: CollectorStatus) {
	return {
		name: s.instance ?? '',
		started_at: iso(s.startedAt),
		last_poll_at: iso(s.lastPollAt),
		last_success_at: iso(s.lastSuccessAt),
		next_poll_at: iso(s.nextPollAt),
		poll_count: s.pollCount,
		poll_interval_sec: s.pollIntervalSec,
		consecutive_failures: s.consecutiveFailures,
		last_error: s.lastError ? {message: s.lastError.message, kind: s.lastError.kind, at: iso(s.lastError.at)} : null,
		stopped: s.stopped ? {reason: s.stopped.reason, at: iso(s.stopped.at)} : null,
		source: {
			url: s.source.url,
			mode: s.source.mode,
			backend: s.source.active,
			reason: s.source.reason,
			cpa_version: s.source.cpaVersion,
			usage_statistics_enabled: s.source.usageStatisticsEnabled,
			transport: s.transport
				? {
						name: s.transport.name,
						endpoint: s.transport.endpoint,
						state: s.transport.state,
						path: s.transport.path,
						since: iso(s.transport.since),
						reconnects: s.transport.reconnects,
						failed_attempts: s.transport.failedAttempts,
						next_attempt_at: iso(s.transport.nextAttemptAt),
						last_error: s.transport.lastError,
						last_message_at: iso(s.transport.lastMessageAt),
						messages: s.transport.messages,
						summary: s.transport.summary,
					}
				: null,
		},
		totals: s.totals,
		queue_retention: s.queueRetention ? {seconds: s.queueRetention.seconds, source: s.queueRetention.source} : null,
		gaps: s.gaps.map(g => ({from: iso(g.from), to: iso(g.to), count: g.count, cause: g.cause, message: g.message})),
	};
}
