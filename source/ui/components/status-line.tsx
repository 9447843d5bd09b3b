import {Box, Text} from 'ink';
import type {CollectorStatus} from '../../collector/status.js';
import {statusLineParts} from '../status-text.js';
import type {ServerState} from '../view-model.js';

/** One line: health, CPA version and source, last and next pass, where the API listens. */
export function StatusLine({status, server, now, width}: {status: CollectorStatus; server: ServerState; now: number; width: number}) {
	const {health, text, api} = statusLineParts(status, server, now);
	return (
		<Box width={width} flexShrink={0}>
			<Text wrap="truncate-end">
				<Text color={health}>●</Text> {text}
				<Text dimColor>{api}</Text>
			</Text>
		</Box>
	);
}
