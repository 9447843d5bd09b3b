import {Box, Text} from 'ink';
import type {FittedAlert} from '../alert-fit.js';

/** Errors and warnings in plain words, already fitted to their lines (alert-fit.ts): the fix stays readable. */
export function Alerts({alerts, width}: {alerts: readonly FittedAlert[]; width: number}) {
	if (alerts.length === 0) return null;
	return (
		<Box flexDirection="column" width={width} flexShrink={0}>
			{alerts.flatMap((a, i) =>
				a.lines.map((line, j) => (
					<Text key={`${i}:${j}`} color={a.level === 'error' ? 'red' : 'yellow'} wrap="truncate-end">
						{line}
					</Text>
				)),
			)}
		</Box>
	);
}
