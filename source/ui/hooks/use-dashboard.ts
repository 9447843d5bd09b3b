import {useEffect, useRef, useState} from 'react';
import {readDashboard, type DashboardData} from '../../app/dashboard-data.js';
import type {Collector} from '../../collector/collector.js';
import type {EventBus} from '../../collector/event-bus.js';
import type {CollectorStatus} from '../../collector/status.js';
import type {LimitStatus} from '../../core/limits/types.js';
import type {Period} from '../../core/periods.js';
import {localDate, type Zone} from '../../core/zone.js';
import type {LimitsService} from '../../limits/limits-service.js';
import type {Db} from '../../store/database.js';

export type DashboardSources = {db: Db; zone: Zone; bus: EventBus; collector: Collector; limits: LimitsService; now: () => number};

/**
 * The dashboard's data, kept current by the collector's events rather than by polling the
 * database: new rows (`usage_delta`, bursts coalesced) re-read the screen's query set, each
 * pass updates the status, `limits` events carry fresh gauges. The period, and a new local
 * day, re-read at once.
 */
export function useDashboard(sources: DashboardSources, period: Period, clock: number, coalesceMs = 250) {
	const {db, zone, bus, collector, limits, now} = sources;
	const load = () => readDashboard({db, zone, limits}, now(), period);
	const [data, setData] = useState<DashboardData>(load);
	const [status, setStatus] = useState<CollectorStatus>(() => collector.status());
	const pending = useRef<NodeJS.Timeout | undefined>(undefined);

	useEffect(() => {
		setData(load());
		const reloadSoon = () => {
			if (pending.current) return;
			pending.current = setTimeout(() => {
				pending.current = undefined;
				setData(load());
			}, coalesceMs);
		};
		const offs = [
			bus.on('usage_delta', reloadSoon),
			bus.on('status', next => setStatus(next)),
			bus.on('warning', () => setStatus(collector.status())),
			bus.on('limits', ({statuses}) => setData(prev => ({...prev, gauges: statuses as LimitStatus[]}))),
		];
		return () => {
			for (const off of offs) off();
			clearTimeout(pending.current);
			pending.current = undefined;
		};
		// eslint-disable-next-line react-hooks/exhaustive-deps -- re-read when the period or the sources change
	}, [period, db, bus, collector, limits]);

	// A new local day moves "today" and every period.
	const day = localDate(zone, clock);
	const lastDay = useRef(day);
	useEffect(() => {
		if (lastDay.current === day) return;
		lastDay.current = day;
		setData(load());
		// eslint-disable-next-line react-hooks/exhaustive-deps -- only the day matters here
	}, [day]);

	return {data, status};
}
