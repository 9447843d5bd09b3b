import {useApp} from 'ink';
import {useEffect, useMemo, useReducer, useState} from 'react';
import {Dashboard} from './components/dashboard.js';
import {useDashboard, type DashboardSources} from './hooks/use-dashboard.js';
import {useAlertBell} from './hooks/use-alert-bell.js';
import {useCleanRedraw} from './hooks/use-clean-redraw.js';
import {useDashboardKeys} from './hooks/use-dashboard-keys.js';
import {useRecentActivity} from './hooks/use-recent-activity.js';
import {useStatusLineTicker} from './hooks/use-status-line-ticker.js';
import {useTerminalSize} from './hooks/use-terminal-size.js';
import {isFull} from './layout.js';
import {statusLineAnsi, statusLineParts} from './status-text.js';
import {INITIAL_STATE, reduce, type Action} from './state.js';
import {gaugeView, nextFrameIn, officialGauges, type ServerState} from './view-model.js';

export type AppProps = {
	sources: DashboardSources;
	server: ServerState;
	compact: boolean;
	/** The size to lay out for (run-dashboard passes the terminal's, updated before Ink redraws on a resize); otherwise the terminal's. */
	size?: {columns: number; rows: number};
	/**
	 * On a real terminal the status line's seconds are redrawn in place by a ticker and the
	 * frame renders only when something else changes: data, or a gauge countdown's text (at
	 * least once a minute). Off, the whole frame renders every second (tests, which read
	 * frames from Ink). It also turns on the full redraw after a resize (the alternate screen
	 * is ours to blank).
	 */
	liveStatusLine?: boolean;
};

/** How long the answer to a key stays on screen. */
const NOTICE_MS = 8000;

/** `r`: a pass now; while collection is stopped none can run, and the dashboard says why. */
function collect(sources: DashboardSources, dispatch: (action: Action) => void): void {
	const refused = sources.data.collect();
	if (refused) dispatch({type: 'notice', text: refused});
}

export function App({sources, server, compact, size, liveStatusLine = false}: AppProps) {
	const {exit} = useApp();
	const terminal = useTerminalSize();
	const {columns, rows} = size ?? terminal;
	const [ui, dispatch] = useReducer(reduce, INITIAL_STATE);
	const [now, setNow] = useState(sources.now);
	const {data, status, liveStatus} = useDashboard(sources, ui.period, now);
	const activity = useRecentActivity(sources, isFull(columns, rows, compact), now);
	const gauges = useMemo(() => [...officialGauges(data.accounts), ...data.gauges.map(gaugeView)], [data.accounts, data.gauges]);
	const delay = liveStatusLine ? nextFrameIn(gauges, now) : 1000;
	useEffect(() => {
		const timer = setTimeout(() => setNow(sources.now()), Math.max(1, delay - (sources.now() - now)));
		return () => clearTimeout(timer);
	}, [now, delay, sources]);
	useCleanRedraw(liveStatusLine);
	useAlertBell(sources.bus, sources.bell ?? false);
	useStatusLineTicker(liveStatusLine, () => statusLineAnsi(statusLineParts(liveStatus(), server, sources.now()), columns));
	useDashboardKeys(dispatch, {quit: () => exit(), collect: () => collect(sources, dispatch)});
	useEffect(() => {
		if (!ui.notice) return;
		const timer = setTimeout(() => dispatch({type: 'notice', text: null}), NOTICE_MS);
		return () => clearTimeout(timer);
	}, [ui.notice]);
	return <Dashboard columns={columns} rows={rows} compact={compact} status={status} server={server} now={now} data={data} gauges={gauges} ui={ui} activity={activity} />;
}
