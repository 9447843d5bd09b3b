import {formatDuration, formatLocalTime} from '../limits/describe.js';
import type {Zone} from '../time/zone.js';
import type {AlertSubject} from './subjects.js';

/** One crossed threshold, as the bus, the event stream and the webhook's `alert` field carry it. */
export type AlertEvent = {
	at: number;
	kind: 'limit' | 'quota';
	threshold: number;
	percentUsed: number;
	name: string;
	detail: string;
	resetsAt: number | null;
	/** The CPA instance a quota window was observed through; null for limits (they count every instance). */
	instance: string | null;
	limit: AlertSubject['limit'] | null;
	quota: AlertSubject['quota'] | null;
	/** The alert in one line, as the webhook's `text` says it (before Slack's escaping). */
	text: string;
};

export function alertEvent(subject: AlertSubject, threshold: number, at: number, zone: Zone, instance: string): AlertEvent {
	const percentUsed = Math.round(subject.percent * 10) / 10;
	const detail = subject.detail ? `: ${subject.detail}` : '';
	const reset = resetText(subject, at, zone);
	const text = `cliproxy-usage: ${subject.name} reached ${threshold}% (${percentUsed}% used${detail})${reset ? `; ${reset}` : ''}`;
	return {
		at,
		kind: subject.kind,
		threshold,
		percentUsed,
		name: subject.name,
		detail: subject.detail,
		resetsAt: subject.resetsAt,
		instance: subject.kind === 'quota' ? instance : null,
		limit: subject.limit ?? null,
		quota: subject.quota ?? null,
		text,
	};
}

function resetText(subject: AlertSubject, now: number, zone: Zone): string {
	if (subject.resetsAt === null) return '';
	const when = `${formatLocalTime(zone, subject.resetsAt)} ${zoneLabel(zone)} (in ${formatDuration(subject.resetsAt - now)})`;
	return subject.windowEnd === null && subject.kind === 'limit' ? `the oldest usage ages out ${when}` : `resets ${when}`;
}

function zoneLabel(zone: Zone): string {
	if (zone.kind === 'iana') return zone.name;
	const h = zone.offsetMinutes / 60;
	return h === 0 ? 'UTC' : `UTC${h > 0 ? '+' : ''}${h}`;
}

/** Slack reads `&`, `<` and `>` as markup (`<!channel>` pings everyone): escaped as its docs ask. */
function slackText(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The webhook's JSON body: `text` for Slack (and Discord's /slack endpoint, Mattermost,
 * Rocket.Chat), `content` for Discord (with mentions off: an account label cannot ping),
 * `title` and `message` for ntfy's templates (`?tpl=1&t={{.title}}&m={{.message}}`), and the
 * structured `alert` for anything else. Carries no key, no auth_index, no client API key.
 */
export function webhookBody(e: AlertEvent): Record<string, unknown> {
	return {
		text: slackText(e.text),
		content: e.text.slice(0, 2000),
		title: `cliproxy-usage: ${e.threshold}% of ${e.kind === 'limit' ? `limit #${e.limit?.id}` : `${e.quota?.account} ${e.quota?.window}`}`,
		message: e.text,
		allowed_mentions: {parse: []},
		alert: {
			kind: e.kind,
			threshold: e.threshold,
			percent_used: e.percentUsed,
			name: e.name,
			detail: e.detail,
			resets_at: e.resetsAt === null ? null : new Date(e.resetsAt).toISOString(),
			instance: e.instance,
			limit: e.limit,
			quota: e.quota,
			fired_at: new Date(e.at).toISOString(),
		},
	};
}
