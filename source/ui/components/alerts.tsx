import {Box, Text} from 'ink';
import type {Alert} from '../view-model.js';

/** Errors and warnings in plain words: wrapped when the rows allow it, else one line each. */
export function Alerts({alerts, rows, width, wrap}: {alerts: readonly Alert[]; rows: number; width: number; wrap: boolean}) {
	if (rows <= 0 || alerts.length === 0) return null;
	return (
		<Box flexDirection="column" width={width} height={wrap ? rows : Math.min(rows, alerts.length)} overflow="hidden" flexShrink={0}>
			{alerts.map((a, i) => (
				<Text key={i} color={a.level === 'error' ? 'red' : 'yellow'} wrap={wrap ? 'wrap' : 'truncate-end'}>
					{a.level === 'error' ? '✖ ' : '▲ '}
					{a.text}
				</Text>
			))}
		</Box>
	);
}
