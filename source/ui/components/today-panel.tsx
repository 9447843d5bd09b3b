import {Box, Text} from 'ink';
import {memo} from 'react';
import {ESTIMATE_MARK, formatEstimatedUsd, formatInt, formatPercent, formatTokens, formatUsd} from '../../core/report/format.js';
import type {DashboardData} from '../../app/dashboard-data.js';
import type {LayoutMode} from '../layout.js';
import {Panel} from './panel.js';

function Change({change}: {change: number | null}) {
	if (change === null) return <Text dimColor>nothing by this time yesterday</Text>;
	if (change === 0) return <Text dimColor>same as this time yesterday</Text>;
	return (
		<Text color={change > 0 ? 'yellow' : 'green'}>
			{change > 0 ? '▲' : '▼'} {formatPercent(Math.abs(change))} <Text dimColor>vs this time yesterday</Text>
		</Text>
	);
}

/** "3 failed · 2 rate-limited · 1 cancelled": the upstream's failures, 429s and client cancels apart; '' with none. */
function failures(t: DashboardData['today']): string {
	const upstream = t.failed - t.rate_limited - t.cancelled;
	const parts = [upstream > 0 ? `${formatInt(upstream)} failed` : '', t.rate_limited > 0 ? `${formatInt(t.rate_limited)} rate-limited` : '', t.cancelled > 0 ? `${formatInt(t.cancelled)} cancelled` : ''];
	return parts.filter(Boolean).map(p => ` · ${p}`).join('');
}

/** Today's cost, requests, tokens, success rate, burn rate and where the day is heading. */
export const TodayPanel = memo(function TodayPanel({data, mode, width}: {data: DashboardData; mode: LayoutMode; width: number}) {
	const t = data.today;
	const estimated = t.estimated_requests > 0 ? `${ESTIMATE_MARK} ${formatInt(t.estimated_requests)} estimated` : null;
	const ok = t.success_rate === null ? '' : ` · ${formatPercent(t.success_rate)} ok`;
	const cost = formatEstimatedUsd(t.cost_usd, t.estimated_requests);
	if (mode === 'narrow') {
		return (
			<Box flexDirection="column" width={width} flexShrink={0}>
				<Text wrap="truncate-end">
					<Text bold color="green">
						{cost}
					</Text>{' '}
					today · {formatInt(t.requests)} req{ok}
				</Text>
				<Text wrap="truncate-end" dimColor>
					{formatUsd(data.burnPerHour)}/h → {formatUsd(data.projectedEndOfDay)} by midnight{estimated ? ` · ${ESTIMATE_MARK} ${formatInt(t.estimated_requests)} est.` : ''}
				</Text>
			</Box>
		);
	}
	return (
		<Panel title="Today" width={width} accent="green">
			<Text wrap="truncate-end">
				<Text bold color="green">
					{cost}
				</Text>
				{'  '}
				<Change change={data.vsYesterday.costChange} />
			</Text>
			<Text wrap="truncate-end">
				{formatInt(t.requests)} requests{ok} · {formatTokens(t.tokens)} tokens{failures(t)}
			</Text>
			<Text wrap="truncate-end">
				burn {formatUsd(data.burnPerHour)}/h → <Text bold>{formatUsd(data.projectedEndOfDay)}</Text> by midnight at this rate
			</Text>
			{mode === 'wide' ? (
				<Text wrap="truncate-end">
					<Text dimColor>yesterday {formatUsd(data.vsYesterday.yesterdayCost)} in all</Text>
					{estimated ? <Text color="yellow"> · {estimated}</Text> : null}
				</Text>
			) : null}
		</Panel>
	);
});
