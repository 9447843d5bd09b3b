import {useApp} from 'ink';
import {useReducer} from 'react';
import {Dashboard} from './components/dashboard.js';
import {useClock} from './hooks/use-clock.js';
import {useDashboard, type DashboardSources} from './hooks/use-dashboard.js';
import {useDashboardKeys} from './hooks/use-dashboard-keys.js';
import {useTerminalSize} from './hooks/use-terminal-size.js';
import {INITIAL_STATE, reduce} from './state.js';
import {gaugeView, type ServerState} from './view-model.js';

export type AppProps = {
	sources: DashboardSources;
	server: ServerState;
	compact: boolean;
	/** Fixed size (tests); otherwise the terminal's. */
	size?: {columns: number; rows: number};
};

export function App({sources, server, compact, size}: AppProps) {
	const {exit} = useApp();
	const terminal = useTerminalSize();
	const {columns, rows} = size ?? terminal;
	const [ui, dispatch] = useReducer(reduce, INITIAL_STATE);
	const now = useClock(sources.now);
	const {data, status} = useDashboard(sources, ui.period, now);
	useDashboardKeys(dispatch, {quit: () => exit(), collect: () => void sources.collector.trigger()});
	return <Dashboard columns={columns} rows={rows} compact={compact} status={status} server={server} now={now} data={data} gauges={data.gauges.map(gaugeView)} ui={ui} />;
}
