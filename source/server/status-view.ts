import type {CollectorStatus} from '../collector/status.js';
import {localDate, zoneLabel, type Zone} from '../core/time/zone.js';
import type {Db} from '../store/database.js';
import {dayTotalsJson, readDayTotals} from '../store/usage-queries.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** `GET /api/collector/status`: the collector's state, its source, and today's totals. */
export function statusView(s: CollectorStatus, db: Db, zone: Zone, now: number, counts: {events: number; subscribers: number}) {
	const today = readDayTotals(db, zone, localDate(zone, now));
	return {
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
		today: dayTotalsJson(today, zoneLabel(zone)),
		totals: s.totals,
		warnings: s.warnings,
		event_count: counts.events,
		subscriber_count: counts.subscribers,
	};
}

export type StatusView = ReturnType<typeof statusView>;
