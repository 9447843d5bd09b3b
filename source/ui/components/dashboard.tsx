import {Box} from 'ink';
import type {CollectorStatus} from '../../collector/status.js';
import type {DashboardData} from '../../app/dashboard-data.js';
import {alertsHeight, fitAlerts} from '../alert-fit.js';
import {gaugeRows} from '../gauge-rows.js';
import {planLayout} from '../layout.js';
import type {UiState} from '../state.js';
import {alertsFor, collectionNotes, type GaugeView, type ServerState} from '../view-model.js';
import {AccountsPanel} from './accounts-panel.js';
import {Alerts} from './alerts.js';
import {CostChartPanel} from './cost-chart-panel.js';
import {Footer} from './footer.js';
import {HelpOverlay} from './help-overlay.js';
import {LimitsPanel} from './limits-panel.js';
import {ModelsPanel} from './models-panel.js';
import {LatencyPanel, RecentRequestsPanel, type ActivityShown} from './recent-panels.js';
import {SparklinePanel} from './sparkline-panel.js';
import {StatusLine} from './status-line.js';
import {TodayPanel} from './today-panel.js';

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
	/** The requests tail and the latency per model (the full wide layout reads them); null elsewhere. */
	activity?: ActivityShown;
};

/** The whole frame, laid out for the terminal's size. Props only: no hooks, no I/O. */
export function Dashboard(props: DashboardProps) {
	const {status, server, now, data, gauges, ui} = props;
	const alerts = [...alertsFor(status, server), ...(ui.notice ? [{level: 'warning' as const, text: ui.notice}] : [])];
	const alertWidth = Math.max(20, props.columns);
	const layout = planLayout({
		columns: props.columns,
		rows: props.rows,
		compact: props.compact,
		alerts: alertsHeight(alerts, alertWidth),
		alertCount: alerts.length,
		limits: gauges.length,
		limitsNarrow: gaugeRows(gauges, Infinity, true).shown.length,
		accounts: data.accounts.length,
		models: data.models.length,
		modelNote: data.models.some(m => m.estimatedRequests > 0),
	});
	const {mode, width} = layout;
	const fitted = fitAlerts(alerts, alertWidth, layout.alertLines);
	const pair = layout.pairWidth > 0;
	const accounts = layout.accountRows > 0 ? <AccountsPanel accounts={data.accounts} period={data.period} rows={layout.accountRows} width={pair ? layout.pairWidth : width} now={now} height={pair ? layout.accountRows + 2 : undefined} /> : null;
	const models = <ModelsPanel models={data.models} period={data.period} sort={ui.sort} rows={layout.modelRows} mode={mode} width={pair ? width - layout.pairWidth : width} totalCost={data.periodTotals.costUsd} height={pair ? layout.modelRows + 3 : undefined} />;
	const footer = layout.footer ? 1 : 0;
	let body;
	if (ui.help) {
		body = <HelpOverlay width={Math.min(width, 100)} rows={layout.height - 1 - layout.alertLines - footer} notes={collectionNotes(status)} />;
	} else if (mode === 'wide') {
		const activity = props.activity ?? null;
		body = (
			<>
				<Box flexShrink={0}>
					<Box flexDirection="column" width={layout.leftWidth}>
						<TodayPanel data={data} mode={mode} width={layout.leftWidth} />
						{layout.full ? (
							<CostChartPanel hourlyCost={data.hourlyCost} lastHour={data.lastHour} width={layout.leftWidth} rows={layout.chartRows} />
						) : (
							<SparklinePanel hourlyCost={data.hourlyCost} mode={mode} width={layout.leftWidth} />
						)}
					</Box>
					<LimitsPanel gauges={gauges} rows={Math.max(1, layout.limitRows)} mode={mode} width={width - layout.leftWidth} now={now} height={layout.topRows} />
				</Box>
				{pair ? (
					<Box flexShrink={0}>
						{accounts}
						{models}
					</Box>
				) : (
					<>
						{accounts}
						{models}
					</>
				)}
				{layout.bottomRows > 0 ? (
					<Box flexShrink={0}>
						<RecentRequestsPanel activity={activity} rows={layout.bottomRows} width={width - layout.latencyWidth} />
						<LatencyPanel activity={activity} rows={layout.bottomRows} width={layout.latencyWidth} />
					</Box>
				) : null}
			</>
		);
	} else {
		body = (
			<>
				<TodayPanel data={data} mode={mode} width={width} />
				{layout.limitRows > 0 ? <LimitsPanel gauges={gauges} rows={layout.limitRows} mode={mode} width={width} now={now} /> : null}
				{accounts}
				{layout.modelRows > 0 ? models : null}
				{layout.sparkline ? <SparklinePanel hourlyCost={data.hourlyCost} mode={mode} width={width} /> : null}
			</>
		);
	}
	return (
		// Only as tall as its content: Ink rebuilds a width × height grid on every render.
		<Box flexDirection="column" width={width} flexShrink={0}>
			<StatusLine status={status} server={server} now={now} width={width} />
			<Alerts alerts={fitted} width={width} />
			{body}
			{layout.footer ? <Footer width={width} /> : null}
		</Box>
	);
}
