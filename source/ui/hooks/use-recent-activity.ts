import {useEffect, useRef, useState} from 'react';
import {readRecentActivity, type RecentActivity} from '../../app/recent-activity.js';
import type {EventBus} from '../../collector/event-bus.js';
import type {Zone} from '../../core/time/zone.js';
import type {Db} from '../../store/database.js';

/**
 * The recent-requests tail and the per-model latency, for the layouts that show them
 * (`enabled`): read when they turn on, again on the collector's `usage_delta` events (bursts
 * coalesced, as the dashboard's own data), and once a minute of `clock` (the last hour slides).
 * Off, nothing is read and the last answer is dropped.
 */
export function useRecentActivity(sources: {db: Db; zone: Zone; bus: EventBus; now: () => number}, enabled: boolean, clock: number, coalesceMs = 250): RecentActivity | null {
	const {db, zone, bus, now} = sources;
	const [activity, setActivity] = useState<RecentActivity | null>(() => (enabled ? readRecentActivity(db, zone, now()) : null));
	const latest = useRef(activity);
	latest.current = activity;
	const pending = useRef<NodeJS.Timeout | undefined>(undefined);

	useEffect(() => {
		if (!enabled) {
			if (latest.current) setActivity(null);
			return;
		}
		// The first read is the initial state; turned on later (a resize), it reads now.
		if (!latest.current) setActivity(readRecentActivity(db, zone, now()));
		const off = bus.on('usage_delta', () => {
			if (pending.current) return;
			pending.current = setTimeout(() => {
				pending.current = undefined;
				setActivity(readRecentActivity(db, zone, now()));
			}, coalesceMs);
		});
		return () => {
			off();
			clearTimeout(pending.current);
			pending.current = undefined;
		};
	}, [enabled, db, zone, bus, now, coalesceMs]);

	const minute = Math.floor(clock / 60_000);
	const lastMinute = useRef(minute);
	useEffect(() => {
		if (lastMinute.current === minute) return;
		lastMinute.current = minute;
		if (enabled) setActivity(readRecentActivity(db, zone, now()));
		// eslint-disable-next-line react-hooks/exhaustive-deps -- only the minute matters here
	}, [minute]);

	return activity;
}
