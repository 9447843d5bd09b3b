import {useEffect, useRef, useState} from 'react';
import type {Collector} from '../../collector/collector.js';
import type {EventBus} from '../../collector/event-bus.js';
import type {CollectorStatus} from '../../collector/status.js';
import {localDate, type Zone} from '../../core/zone.js';
import type {Db} from '../../store/database.js';
import {loadDashboard, type DashboardSnapshot, type Period} from '../../store/dashboard-snapshot.js';
import type {GaugeView} from '../view-model.js';

export type DashboardSources = {
	db: Db;
	zone: Zone;
	bus: EventBus;
	collector: Collector;
	now: () => number;
	/** Current gauges (from the limits service); called on start and on `limits` events. */
	gauges: () => GaugeView[];
};

/**
 * The dashboard's data, kept current by the collector's events rather than by polling the
 * database: new rows (`usage_delta`, bursts coalesced) reload the figures, each pass updates
 * the status, `limits` events the gauges. The period, and a new local day, reload at once.
 */
export function useDashboard(sources: DashboardSources, period: Period, clock: number, coalesceMs = 250) {
	const {db, zone, bus, collector, now} = sources;
	const load = () => loadDashboard(db, zone, now(), period);
	const [data, setData] = useState<DashboardSnapshot>(load);
	const [status, setStatus] = useState<CollectorStatus>(() => collector.status());
	const [gauges, setGauges] = useState<GaugeView[]>(() => sources.gauges());
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
			bus.on('limits', () => setGauges(sources.gauges())),
		];
		return () => {
			for (const off of offs) off();
			clearTimeout(pending.current);
			pending.current = undefined;
		};
		// eslint-disable-next-line react-hooks/exhaustive-deps -- reload when the period or the sources change
	}, [period, db, bus, collector]);

	// A new local day moves "today" and every period.
	const day = localDate(zone, clock);
	const lastDay = useRef(day);
	useEffect(() => {
		if (lastDay.current === day) return;
		lastDay.current = day;
		setData(load());
		setGauges(sources.gauges());
		// eslint-disable-next-line react-hooks/exhaustive-deps -- only the day matters here
	}, [day]);

	return {data, status, gauges};
}
