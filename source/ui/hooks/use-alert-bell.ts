import {useStdout} from 'ink';
import {useEffect} from 'react';
import type {EventBus} from '../../collector/event-bus.js';

/** Alerts arriving together ring once. */
const QUIET_MS = 1000;

/** The terminal bell on every budget alert (ALERT_BELL). BEL moves no cursor, so the frame stays as Ink drew it. */
export function useAlertBell(bus: EventBus, enabled: boolean): void {
	const {stdout} = useStdout();
	useEffect(() => {
		if (!enabled) return;
		let last = -Infinity;
		return bus.on('alert', (_alert, event) => {
			if (event.at - last < QUIET_MS) return;
			last = event.at;
			stdout.write('\u0007');
		});
	}, [bus, enabled, stdout]);
}
