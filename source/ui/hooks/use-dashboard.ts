import {useEffect, useMemo, useReducer, useRef, useState} from 'react';
import type {DashboardData} from '../../app/dashboard-data.js';
import type {DashboardDataSource} from '../../app/data-source.js';
import type {EventBus} from '../../collector/event-bus.js';
import type {CollectorStatus} from '../../collector/status.js';
import {formatShortDuration} from '../../core/report/format.js';
import type {LimitStatus} from '../../core/limits/types.js';
import type {Period} from '../../core/time/periods.js';
import {localDate, type Zone} from '../../core/time/zone.js';

/** `data`: the local database and collector, or a remote `--headless` (app/data-source.ts); `bus` carries their events. */
export type DashboardSources = {data: DashboardDataSource; zone: Zone; bus: EventBus; now: () => number; /** Ring the terminal bell on budget alerts (ALERT_BELL). */ bell?: boolean};

/**
 * The dashboard's data, kept current by the collector's events rather than by polling the
 * database: new rows (`usage_delta`, bursts coalesced) re-read the screen's query set and
 * render at once. After each pass the status and the recomputed gauges are kept, and render
 * only when something shown changed (an error, a warning, the transport; a gauge's percent,
 * label or minute): every render rebuilds the whole frame, and the status line's seconds are
 * drawn by the ticker. The period, and a new local day, re-read at once.
 */
export function useDashboard(sources: DashboardSources, period: Period, clock: number, coalesceMs = 250, quotasCoalesceMs = 1000) {
	const {data: source, zone, bus, now} = sources;
	const load = () => source.read(period, now());
	const [data, setData] = useState<DashboardData>(load);
	const latest = useRef(data);
	latest.current = data;
	const status = useRef<CollectorStatus | null>(null);
	status.current ??= source.status();
	const gauges = useRef<{statuses: LimitStatus[]; after: DashboardData} | null>(null);
	const pending = useRef<{timer: NodeJS.Timeout; full: boolean; due: number} | undefined>(undefined);
	const [, bump] = useReducer((n: number) => n + 1, 0);

	// The first read is the initial state; later periods are read when they change.
	const firstPeriod = useRef(period);
	useEffect(() => {
		if (period !== firstPeriod.current) {
			firstPeriod.current = period;
			setData(load());
		}
		// New rows re-read the screen, account states (auth-files, CPA's errors) the accounts. Quota
		// polls arrive one account at a time: they are gathered for longer (their ages are shown
		// in minutes), as every render rebuilds the whole frame.
		const reloadSoon = (full: boolean, delayMs: number) => {
			const due = Date.now() + delayMs;
			const held = pending.current;
			if (held && (held.full || !full) && held.due <= due) return;
			clearTimeout(held?.timer);
			const all = full || (held?.full ?? false);
			const at = Math.min(due, held?.due ?? due);
			const timer = setTimeout(
				() => {
					pending.current = undefined;
					if (all) setData(load());
					else {
						setData(prev => {
							const next = {...prev, accounts: source.readAccounts(period, now())};
							// Gauges a `limits` event brought stay newer than this data too.
							if (gauges.current?.after === prev) gauges.current = {...gauges.current, after: next};
							return next;
						});
					}
				},
				Math.max(0, at - Date.now()),
			);
			pending.current = {timer, full: all, due: at};
		};
		const offs = [
			...(source.onChange ? [source.onChange(() => reloadSoon(true, coalesceMs))] : []),
			bus.on('usage_delta', () => reloadSoon(true, coalesceMs)),
			bus.on('quotas', () => reloadSoon(false, quotasCoalesceMs)),
			bus.on('accounts', () => reloadSoon(false, coalesceMs)),
			bus.on('status', event => {
				// Several CPAs: each one's collector says its own; the line shows them all.
				const all = source.status();
				const next = all.instances && all.instances.length > 1 ? all : event;
				const changed = statusKey(next) !== statusKey(status.current!);
				status.current = next;
				if (changed) bump();
			}),
			bus.on('warning', () => {
				status.current = source.status();
				bump();
			}),
			bus.on('limits', ({statuses}) => {
				const before = gauges.current && gauges.current.after === latest.current ? gauges.current.statuses : latest.current.gauges;
				gauges.current = {statuses: statuses as LimitStatus[], after: latest.current};
				if (gaugesKey(statuses as LimitStatus[]) !== gaugesKey(before)) bump();
			}),
		];
		return () => {
			for (const off of offs) off();
			clearTimeout(pending.current?.timer);
			pending.current = undefined;
		};
		// eslint-disable-next-line react-hooks/exhaustive-deps -- re-read when the period or the sources change
	}, [period, source, bus, zone]);

	// A new local day moves "today" and every period.
	const day = localDate(zone, clock);
	const lastDay = useRef(day);
	useEffect(() => {
		if (lastDay.current === day) return;
		lastDay.current = day;
		setData(load());
		// eslint-disable-next-line react-hooks/exhaustive-deps -- only the day matters here
	}, [day]);

	// Gauges from a `limits` event are newer than the data they arrived after, not than a later reload.
	const fresh = gauges.current && gauges.current.after === data ? gauges.current.statuses : null;
	const shown = useMemo(() => (fresh ? {...data, gauges: fresh} : data), [data, fresh]);
	return {data: shown, status: status.current, liveStatus: () => status.current!};
}

/** What the frame shows of a status, less the times the status-line ticker draws. */
export function statusKey(s: CollectorStatus): string {
	const one = (x: CollectorStatus) => [x.stopped?.reason, x.lastError?.message, x.warnings, x.lastSuccessAt === null, x.source.active, x.source.cpaVersion, x.source.usageStatisticsEnabled, x.transport?.state, x.transport?.path, x.gaps.length, x.gaps.at(-1)?.count];
	// Several CPAs: a change in any one of them is a change of the line.
	return JSON.stringify([...one(s), s.store?.up, s.store?.memoryOnly, ...(s.instances && s.instances.length > 1 ? s.instances.map(one) : [])]);
}

/**
 * What of the gauges is worth a render at once: whole percents, the projection, minutes. The
 * exact used/limit label (a rolling window's usage ages out second by second) waits for the
 * next clock tick.
 */
export function gaugesKey(statuses: readonly LimitStatus[]): string {
	// The countdowns as the gauges print them: a projection that slides with the clock keeps its text.
	const left = (t: number | null, from: number) => (t === null ? '' : formatShortDuration(t - from));
	return statuses
		.map(s => [s.config.id, Math.round(s.percent_used), s.estimated, s.projection, s.config.strategy === 'rolling' ? '' : left(s.next_reset, s.last_updated), left(s.projected_exhaustion_at, s.last_updated)].join(','))
		.join(';');
}
