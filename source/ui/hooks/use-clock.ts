import {useEffect, useState} from 'react';

/** The time, ticking every `intervalMs` (countdowns and "polled 12s ago" need nothing finer). */
export function useClock(now: () => number, intervalMs = 1000): number {
	const [time, setTime] = useState(now);
	useEffect(() => {
		const timer = setInterval(() => setTime(now()), intervalMs);
		return () => clearInterval(timer);
	}, [now, intervalMs]);
	return time;
}
