import {useApp} from 'ink';
import {useMemo, useReducer, useState} from 'react';
import {Dashboard} from './components/dashboard.js';
import {useClock} from './hooks/use-clock.js';
import {useDashboard, type DashboardSources} from './hooks/use-dashboard.js';
import {useDashboardKeys} from './hooks/use-dashboard-keys.js';
import {useStatusLineTicker} from './hooks/use-status-line-ticker.js';
import {useTerminalSize} from './hooks/use-terminal-size.js';
import {statusLineAnsi, statusLineParts} from './status-text.js';
import {INITIAL_STATE, reduce} from './state.js';
import {gaugeView, type ServerState} from './view-model.js';

export type AppProps = {
	sources: DashboardSources;
	server: ServerState;
	compact: boolean;
	/** Fixed size (tests); otherwise the terminal's. */
	size?: {columns: number; rows: number};
	/**
	 * On a real terminal the status line's seconds are redrawn in place by a ticker and the
	 * frame renders only when something else changes (or every 15 s for the minute countdowns).
	 * Off, the whole frame renders every second (tests, which read frames from Ink).
	 */
	liveStatusLine?: boolean;
};

export function App({sources, server, compact, size, liveStatusLine = false}: AppProps) {
	const {exit} = useApp();
	const terminal = useTerminalSize();
	const {columns, rows} = size ?? terminal;
	const [ui, dispatch] = useReducer(reduce, INITIAL_STATE);
	const [tick, setTick] = useState(1000);
	const now = useClock(sources.now, liveStatusLine ? tick : 1000);
	const {data, status, liveStatus} = useDashboard(sources, ui.period, now);
	const gauges = useMemo(() => data.gauges.map(gaugeView), [data.gauges]);
	// A gauge within a minute or so of its reset or exhaustion counts down in seconds.
	const soon = gauges.some(g => [g.resetsAt, g.exhaustsAt].some(t => t !== null && t > now - 1000 && t - now < 90_000));
	if (liveStatusLine && (soon ? 1000 : 15_000) !== tick) setTick(soon ? 1000 : 15_000);
	useStatusLineTicker(liveStatusLine, () => statusLineAnsi(statusLineParts(liveStatus(), server, sources.now()), columns));
	useDashboardKeys(dispatch, {quit: () => exit(), collect: () => void sources.collector.trigger()});
	return <Dashboard columns={columns} rows={rows} compact={compact} status={status} server={server} now={now} data={data} gauges={gauges} ui={ui} />;
}
