import {subscriberWarning} from '../collector/resp-status.js';
import type {CollectorStatus} from '../collector/status.js';
import type {RemoteLink} from '../remote/remote-source.js';
import {formatShortDuration, shortDurationChangesIn} from '../core/report/format.js';
import type {LimitStatus} from '../core/limits/types.js';
import type {AccountView} from '../core/quota/account-view.js';
import {describeAge, withInstanceLabels} from '../core/quota/describe.js';
import {safeText, TEXT_LIMITS} from '../core/text/safe-text.js';

/**
 * One gauge as the dashboard draws it: a provider's own window for one account (`official`,
 * from its quota headers, CPA's errors or the quota endpoints) or a limit the user set (`yours`).
 */
export type GaugeView = {
	key: string;
	kind: 'official' | 'yours';
	title: string;
	/** Share of the binding limit used: 0.71 = 71 %; may pass 1. */
	ratio: number;
	/** `560k / 800k tokens`. */
	label: string;
	resetsAt: number | null;
	/** When the current burn rate would use it all, if before the reset. */
	exhaustsAt: number | null;
	exhausted: boolean;
	estimated: boolean;
	/** Official: how old the figure is, and whether this is its account's tightest window (the one a side-pane keeps). */
	ageMs?: number;
	tightest?: boolean;
	/** Official: the account is cooling down (CPA keeps it out of rotation). */
	cooling?: boolean;
};

/** "Anthropic Pro 5h", "OpenAI Plus week": who, which tier, which window. */
export function gaugeTitle(status: LimitStatus): string {
	const c = status.config;
	const window = c.strategy === 'rolling' ? formatShortDuration((c.window_minutes ?? 0) * 60_000).replace(/00m$/, '') : c.strategy === 'daily' ? 'day' : 'week';
	return safeText([c.provider, c.tier_name, window].filter(Boolean).join(' '), TEXT_LIMITS.endpoint);
}

export function gaugeView(status: LimitStatus): GaugeView {
	return {
		key: `limit:${status.config.id}`,
		kind: 'yours',
		title: gaugeTitle(status),
		ratio: status.percent_used / 100,
		label: status.label,
		// A rolling window has no reset: it rolls (its next_reset is when the oldest usage ages out).
		resetsAt: status.config.strategy === 'rolling' ? null : status.next_reset,
		exhaustsAt: status.projection === 'before_reset' ? status.projected_exhaustion_at : null,
		exhausted: status.projection === 'exhausted',
		estimated: status.estimated,
	};
}

/** `alice` for alice@example.com: the part of a label a gauge title has room for. */
export function shortAccount(label: string): string {
	const at = label.indexOf('@');
	return safeText(at > 0 ? label.slice(0, at) : label, 'label');
}

/**
 * Every account's official windows as gauges: accounts worst first (as `accountViews` orders
 * them), each account's windows tightest first. A reset window reads 0 % with no countdown.
 */
export function officialGauges(accounts: readonly AccountView[]): GaugeView[] {
	return withInstanceLabels(accounts).flatMap(a =>
		a.quotas.map((q, i) => ({
			key: `quota:${a.authIndex}:${q.id}`,
			kind: 'official' as const,
			title: `${shortAccount(a.label)} ${safeText(q.label, 'label')}`,
			ratio: q.usedPercent / 100,
			label: q.status === 'reset' ? 'reset · awaiting data' : `official · ${describeAge(q.ageMs)}`,
			resetsAt: q.resetsAt,
			exhaustsAt: q.projectedExhaustionAt !== null && q.usedPercent < 100 ? q.projectedExhaustionAt : null,
			exhausted: q.status === 'rejected' || q.usedPercent >= 100,
			estimated: false,
			ageMs: q.ageMs,
			tightest: i === 0,
			cooling: a.state === 'cooling_down',
		})),
	);
}

/** Countdowns shown in minutes or hours that change within this of the first are drawn together. */
export const GATHER_COUNTDOWNS_MS = 10_000;

/**
 * When the frame next needs drawing for time alone: the first gauge countdown to change its
 * text, and at least once a minute (a rolling window's usage ages out, the burn rate slides).
 * Every render rebuilds the whole frame, and thirty accounts' windows reset at thirty different
 * seconds of the minute: a countdown shown in minutes or hours may lag its change by up to
 * GATHER_COUNTDOWNS_MS, so those changing together take one render. Seconds are drawn on time.
 */
export function nextFrameIn(gauges: readonly GaugeView[], now: number, atMostMs = 60_000): number {
	let next = atMostMs;
	for (const g of gauges) {
		for (const at of [g.resetsAt, g.exhaustsAt]) {
			if (at === null) continue;
			const change = shortDurationChangesIn(at - now);
			// Still shown in minutes after the change: it may wait for the others.
			const lag = at - now - change >= 60_000 ? GATHER_COUNTDOWNS_MS : 0;
			next = Math.min(next, change + lag);
		}
	}
	return next;
}

/** How the HTTP API behind the dashboard is doing; `remote`: the `--connect` link instead. */
export type ServerState = {url: string} | {error: string} | {remote: RemoteLink} | null;

export type Alert = {level: 'error' | 'warning'; text: string};

/**
 * The RESP backend's standing warning (the one-consumer trap) says nothing is wrong: it is
 * there for as long as the backend runs, on every healthy single-collector setup. It is no
 * alert; the `?` overlay explains it (collectionNotes). A collector that sees its records go
 * to someone else says so with a warning of its own, which is an alert.
 */
function isStandingTrapWarning(status: CollectorStatus, text: string): boolean {
	return status.transport !== undefined && text === subscriberWarning(status.transport.endpoint);
}

/** Messages worth a line of their own, most urgent first, each saying what to do. */
export function alertsFor(status: CollectorStatus, server: ServerState): Alert[] {
	const alerts: Alert[] = [];
	// Errors quote CPA (its error text, a version header): shown, never raw.
	const add = (level: Alert['level'], text: string) => alerts.push({level, text: safeText(text, 'message')});
	// Several CPAs: each one's errors, gaps and warnings, led by its name; the store is shared.
	const several = status.instances !== undefined && status.instances.length > 1;
	const each = several ? status.instances! : [status];
	const who = (s: CollectorStatus) => (several ? `${s.instance ?? ''}: ` : '');
	for (const s of each) {
		if (s.stopped) add('error', `${who(s)}Collection stopped: ${s.stopped.reason}`);
		else if (s.lastError && !(several && s.lastError.kind === 'store')) add('error', `${who(s)}${s.lastError.message}`);
	}
	if (status.store && !status.store.up && (several || status.lastError?.kind !== 'store')) add('error', status.store.summary);
	else if (status.store?.memoryOnly) add('error', status.store.summary);
	for (const s of each) {
		const gaps = s.gaps;
		if (gaps.length > 0) {
			const total = gaps.reduce((n, g) => n + g.count, 0);
			add('warning', `${who(s)}${gaps.length === 1 ? gaps[0]!.message : `${gaps.at(-1)!.message}; ${gaps.length} gaps, ${total} requests in all (see /api/collector/status)`}`);
		}
	}
	for (const s of each) for (const w of s.warnings) if (!isStandingTrapWarning(s, w)) add('warning', `${who(s)}${w}`);
	if (server && 'error' in server) add('warning', server.error);
	if (server && 'remote' in server && server.remote.error) {
		const {state, error, nextAttemptAt} = server.remote;
		const reconnecting = state === 'reconnecting' && nextAttemptAt !== null;
		add(state === 'refused' ? 'error' : 'warning', reconnecting ? `${error}${/[.?!]$/.test(error) ? ' Reconnecting' : '; reconnecting'} with backoff.` : error);
	}
	return alerts;
}

/**
 * What the `?` overlay says about collection: why this source, and for RESP the one-consumer
 * trap in the words that fit the transport's state (never "subscribed" while it is not).
 */
export function collectionNotes(status: CollectorStatus): string[] {
	const notes: string[] = [];
	if (status.source.reason) notes.push(`Source: ${safeText(status.source.reason, 'message')}`);
	const t = status.transport;
	if (t && status.source.active === 'resp' && t.state !== 'drain_only' && t.state !== 'stopped') {
		const trap = "while we are subscribed, CPA's HTTP usage queue stays empty, so any other collector polling /usage-queue on this CPA gets nothing: run every collector in RESP mode, or set COLLECTOR_SOURCE=queue here";
		const endpoint = safeText(t.endpoint, 'endpoint');
		notes.push(t.state === 'subscribed' ? `RESP: subscribed at ${endpoint}; ${trap}.` : `RESP: not subscribed now (${t.state}${t.lastError ? `: ${safeText(t.lastError, 'error')}` : ''}), draining CPA's queue over ${t.path === 'lpop' ? 'LPOP' : 'HTTP'} meanwhile; ${trap}.`);
	}
	return notes;
}

export function ratioColor(ratio: number): 'green' | 'yellow' | 'red' {
	return ratio >= 0.9 ? 'red' : ratio >= 0.7 ? 'yellow' : 'green';
}

/** The source as the status line names it: the backend, and for RESP which path is live; '' when collection stopped before one was picked. */
export function sourceLabel(status: CollectorStatus): string {
	const {source, transport} = status;
	// Stopped before a backend was picked (no key, a refused key): nothing is being detected any more.
	if (!source.active) return source.mode !== 'auto' ? source.mode : status.stopped ? '' : 'detecting';
	if (!transport) return source.active;
	switch (transport.state) {
		case 'subscribed':
			return 'RESP live';
		case 'connecting':
			return `RESP connecting${transport.path === 'subscribe' ? '' : `, draining ${transport.path}`}`;
		case 'reconnecting':
			return `RESP reconnecting, draining ${transport.path}`;
		case 'drain_only':
			return `draining ${transport.path}`;
		case 'stopped':
			return 'RESP stopped';
	}
}
