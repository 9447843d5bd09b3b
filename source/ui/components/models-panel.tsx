import {Table} from '@alcalzone/ink-table';
import {Box, Text} from 'ink';
import {memo} from 'react';
import type {ReactNode} from 'react';
import {ESTIMATE_MARK, formatUsd} from '../../core/report/format.js';
import type {ModelRow} from '../../app/dashboard-data.js';
import {PERIOD_LABELS, type Period} from '../../core/time/periods.js';
import type {LayoutMode} from '../layout.js';
import {modelTable, narrowModelTable} from '../model-table.js';
import type {SortKey} from '../state.js';
import {Panel} from './panel.js';

/** No borders: the table is one line per row and the panel draws the frame. */
const Skeleton = (_props: {children?: ReactNode}) => null;
const Header = ({children}: {children?: ReactNode}) => <Text bold>{children}</Text>;

const EMPTY: Record<Period, string> = {today: 'No requests yet today.', yesterday: 'No requests yesterday.', '7d': 'No requests in the last 7 days.', '30d': 'No requests in the last 30 days.'};

type Props = {models: readonly ModelRow[]; period: Period; sort: SortKey; rows: number; mode: LayoutMode; width: number; totalCost: number; height?: number};

/** The per-model breakdown for the selected period, sorted, with estimated costs marked `~`. */
export const ModelsPanel = memo(function ModelsPanel({models, period, sort, rows, mode, width, totalCost, height}: Props) {
	const narrow = mode === 'narrow';
	const inner = narrow ? width : width - 4;
	const title = `Models · ${PERIOD_LABELS[period]} · by ${sort} · ${formatUsd(totalCost)}`;
	const estimated = models.some(m => m.estimatedRequests > 0);
	let body: ReactNode;
	if (models.length === 0) {
		body = <Text dimColor>{EMPTY[period]}</Text>;
	} else if (narrow) {
		const spec = narrowModelTable(models, sort, inner, models.length > rows && rows >= 2 ? rows - 1 : rows);
		body = (
			<>
				{spec.rows.map((r, i) => (
					<Text key={i} wrap="truncate-end">
						{r['Model']!.padEnd(Math.max(0, inner - 16))}
						{r['Cost']!.padStart(10)}
						{r['Share']!.padStart(6)}
					</Text>
				))}
				{spec.hidden > 0 && rows >= 2 ? <Text dimColor>… {spec.hidden} more</Text> : null}
			</>
		);
	} else {
		// The footnote ("… N more", the ~ legend) takes a row of its own.
		const note = (estimated || models.length > rows) && rows >= 2;
		const spec = modelTable(models, sort, inner, note ? rows - 1 : rows);
		body = (
			<>
				<Table data={spec.rows} columns={spec.columns} skeleton={Skeleton} header={Header} />
				{note ? (
					<Text dimColor wrap="truncate-end">
						{spec.hidden > 0 ? `… ${spec.hidden} more  ` : ''}
						{estimated ? `${ESTIMATE_MARK} includes estimated costs (an unknown model, a total-only or lower-bound record)` : ''}
					</Text>
				) : null}
			</>
		);
	}
	if (narrow) {
		return (
			<Box flexDirection="column" width={width} flexShrink={0}>
				<Text bold color="blue" wrap="truncate-end">
					{title}
				</Text>
				{body}
			</Box>
		);
	}
	return (
		<Panel title={title} width={width} accent="blue" height={height}>
			{body}
		</Panel>
	);
});
