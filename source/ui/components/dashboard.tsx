import {Box} from 'ink';
import type {CollectorStatus} from '../../collector/status.js';
import type {DashboardData} from '../../app/dashboard-data.js';
import {gaugeRows} from '../gauge-rows.js';
import {planLayout} from '../layout.js';
import type {UiState} from '../state.js';
import {alertLines, alertsFor, type GaugeView, type ServerState} from '../view-model.js';
import {AccountsPanel} from './accounts-panel.js';
import {Alerts} from './alerts.js';
import {Footer} from './footer.js';
import {HelpOverlay} from './help-overlay.js';
import {LimitsPanel} from './limits-panel.js';
import {ModelsPanel} from './models-panel.js';
import {SparklinePanel} from './sparkline-panel.js';
import {StatusLine} from './status-line.js';
import {TodayPanel} from './today-panel.js';

const MAX_ALERT_LINES = 4;

export type DashboardProps = {
	columns: number;
	rows: number;
	compact: boolean;
	status: CollectorStatus;
	server: ServerState;
	now: number;
	data: DashboardData;
	gauges: readonly GaugeView[];
	ui: UiState;
};

/** The whole frame, laid out for the terminal's size. Props only: no hooks, no I/O. */
export function Dashboard(props: DashboardProps) {
	const {status, server, now, data, gauges, ui} = props;
	const alerts = [...alertsFor(status, server), ...(ui.notice ? [{level: 'warning' as const, text: ui.notice}] : [])];
	// Alerts wrap when they fit in a few lines; otherwise each gets one (truncated) line.
	const wrapped = alertLines(alerts, Math.max(20, props.columns));
	const wrap = wrapped <= MAX_ALERT_LINES;
	const layout = planLayout({
		columns: props.columns,
		rows: props.rows,
		compact: props.compact,
		alerts: wrap ? wrapped : alerts.length,
		limits: gauges.length,
		limitsNarrow: gaugeRows(gauges, Infinity, true).shown.length,
		accounts: data.accounts.length,
		models: data.models.length,
	});
	const {mode, width} = layout;
	const accounts = layout.accountRows > 0 ? <AccountsPanel accounts={data.accounts} period={data.period} rows={layout.accountRows} width={width} now={now} /> : null;
	const models = (w: number) => (
		<ModelsPanel models={data.models} period={data.period} sort={ui.sort} rows={layout.modelRows} mode={mode} width={w} totalCost={data.periodTotals.costUsd} />
	);
	return (
		// Only as tall as its content: Ink rebuilds a width × height grid on every render.
		<Box flexDirection="column" width={width} flexShrink={0}>
			<StatusLine status={status} server={server} now={now} width={width} />
			<Alerts alerts={alerts} rows={layout.alertLines} width={width} wrap={wrap && layout.alertLines >= wrapped} />
			{ui.help ? (
				<HelpOverlay width={Math.min(width, 72)} />
			) : mode === 'wide' ? (
				<>
					<Box flexShrink={0}>
						<Box flexDirection="column" width={layout.leftWidth}>
							<TodayPanel data={data} mode={mode} width={layout.leftWidth} />
							<SparklinePanel hourlyCost={data.hourlyCost} mode={mode} width={layout.leftWidth} />
						</Box>
						<LimitsPanel gauges={gauges} rows={Math.max(1, layout.limitRows)} mode={mode} width={width - layout.leftWidth} now={now} height={layout.topRows} />
					</Box>
					{accounts}
					{models(width)}
				</>
			) : (
				<>
					<TodayPanel data={data} mode={mode} width={width} />
					{layout.limitRows > 0 ? <LimitsPanel gauges={gauges} rows={layout.limitRows} mode={mode} width={width} now={now} /> : null}
					{accounts}
					{layout.modelRows > 0 ? models(width) : null}
					{layout.sparkline ? <SparklinePanel hourlyCost={data.hourlyCost} mode={mode} width={width} /> : null}
				</>
			)}
			{layout.footer ? <Footer width={width} /> : null}
		</Box>
	);
}
