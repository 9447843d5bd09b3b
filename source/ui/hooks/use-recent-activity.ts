import {useEffect, useRef, useState} from 'react';
import type {DashboardDataSource} from '../../app/data-source.js';
import type {RecentActivity} from '../../app/recent-activity.js';
import type {EventBus} from '../../collector/event-bus.js';

/**
 * The recent-requests tail and the per-model latency, for the layouts that show them
 * (`enabled`): read just after they turn on (never before the first frame: the read takes
 * 20–60 ms on a large database), again on the collector's `usage_delta` events (bursts
 * coalesced to one read a second), and once a minute of `clock` (the last hour slides).
 * A remote source answers from its last fetch and says (`onChange`) when a newer one came.
 * Off, nothing is read and the last answer is dropped; null until the first read, 'unavailable'
 * where the source cannot read them.
 */
export function useRecentActivity(sources: {data: DashboardDataSource; bus: EventBus; now: () => number}, enabled: boolean, clock: number, coalesceMs = 1000): RecentActivity | null | 'unavailable' {
	const {data: source, bus, now} = sources;
	const read = source.recentActivity?.bind(source);
	const [activity, setActivity] = useState<RecentActivity | null>(null);
	const latest = useRef(activity);
	latest.current = activity;
	const pending = useRef<NodeJS.Timeout | undefined>(undefined);

	useEffect(() => {
		if (!enabled || !read) {
			if (latest.current) setActivity(null);
			return;
		}
		// After this frame is out.
		const first = latest.current ? undefined : setTimeout(() => setActivity(read(now())), 0);
		const offRemote = source.onChange?.(() => setActivity(read(now())));
		const off = bus.on('usage_delta', () => {
			if (pending.current) return;
			pending.current = setTimeout(() => {
				pending.current = undefined;
				setActivity(read(now()));
			}, coalesceMs);
		});
		return () => {
			off();
			offRemote?.();
			clearTimeout(first);
			clearTimeout(pending.current);
			pending.current = undefined;
		};
	}, [enabled, source, bus, now, coalesceMs]);

	const minute = Math.floor(clock / 60_000);
	const lastMinute = useRef(minute);
	useEffect(() => {
		if (lastMinute.current === minute) return;
		lastMinute.current = minute;
		if (enabled && read) setActivity(read(now()));
		// eslint-disable-next-line react-hooks/exhaustive-deps -- only the minute matters here
	}, [minute]);

	return read ? activity : 'unavailable';
}
