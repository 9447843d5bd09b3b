import {Text} from 'ink';
import {memo} from 'react';
import type {RecentActivity} from '../../app/recent-activity.js';
import {formatInt} from '../../core/report/format.js';
import {latencyTable, tailTable} from '../recent-tables.js';
import {FittedTableLines} from './fitted-table.js';
import {Panel} from './panel.js';

/** 'unavailable': the source cannot read them. */
export type ActivityShown = RecentActivity | null | 'unavailable';

const UNAVAILABLE = 'Not available from this data source.';

/** The latest requests, newest first: time, account, model, tokens, cost, latency, status. `rows`: lines inside, the header included. */
export const RecentRequestsPanel = memo(function RecentRequestsPanel({activity: shown, rows, width}: {activity: ActivityShown; rows: number; width: number}) {
	const activity = shown === 'unavailable' ? null : shown;
	const tail = activity?.tail ?? [];
	const table = tailTable(tail, width - 4, rows - 1);
	return (
		<Panel title={`Latest requests${table.rows.length > 0 ? ` · ${table.rows.length}` : ''}`} width={width} accent="green" height={rows + 2}>
			{shown === 'unavailable' ? <Text dimColor wrap="truncate-end">{UNAVAILABLE}</Text> : activity === null ? <Text dimColor>Reading…</Text> : tail.length === 0 ? <Text dimColor>No requests stored yet.</Text> : <FittedTableLines table={table} />}
		</Panel>
	);
});

/** Per model over the last hour: requests, success, 429s, latency p50 and p95, time to first token. */
export const LatencyPanel = memo(function LatencyPanel({activity: shown, rows, width}: {activity: ActivityShown; rows: number; width: number}) {
	const activity = shown === 'unavailable' ? null : shown;
	const models = activity?.latency ?? [];
	// The header takes a line; "… N more" another when the models are cut.
	const cut = models.length > rows - 1;
	const table = latencyTable(models, width - 4, cut ? rows - 2 : rows - 1);
	const hidden = models.length - table.rows.length;
	const count = activity ? `${activity.latencyCapped ? 'latest ' : ''}${formatInt(activity.latencyRequests)} request${activity.latencyRequests === 1 ? '' : 's'}` : '';
	return (
		<Panel title={`Latency and success · last hour${count ? ` · ${count}` : ''}`} width={width} accent="magenta" height={rows + 2}>
			{models.length === 0 ? (
				<Text dimColor wrap="truncate-end">
					{shown === 'unavailable' ? UNAVAILABLE : activity === null ? 'Reading…' : 'No requests in the last hour.'}
				</Text>
			) : (
				<>
					<FittedTableLines table={table} />
					{hidden > 0 ? <Text dimColor>… {hidden} more</Text> : null}
				</>
			)}
		</Panel>
	);
});
