import {Box, Text} from 'ink';
import type {CollectorStatus} from '../../collector/status.js';
import {formatAge, formatDuration} from '../../core/format.js';
import {sourceLabel, type ServerState} from '../view-model.js';

/** One line: health, CPA version and source, last and next pass, where the API listens. */
export function StatusLine({status, server, now, width}: {status: CollectorStatus; server: ServerState; now: number; width: number}) {
	const {source} = status;
	const health = status.stopped ? 'red' : status.lastError ? 'yellow' : status.lastSuccessAt ? 'green' : 'gray';
	const word = status.stopped ? 'stopped' : status.lastError ? 'retrying' : status.lastSuccessAt ? 'ok' : 'starting';
	const version = source.cpaVersion ? `CPA ${source.cpaVersion}` : 'CPA';
	const backend = sourceLabel(status);
	const last = status.lastSuccessAt ? `polled ${formatAge(now - status.lastSuccessAt)}` : status.lastPollAt ? 'no pass succeeded yet' : 'first pass…';
	const next = status.nextPollAt && !status.stopped ? ` · next in ${formatDuration(Math.max(0, status.nextPollAt - now))}` : '';
	const api = server && 'url' in server ? ` · API ${server.url.replace(/^http:\/\//, '')}` : '';
	return (
		<Box width={width} flexShrink={0}>
			<Text wrap="truncate-end">
				<Text color={health}>●</Text> {word} · {version} · {backend} · {last}
				{next}
				<Text dimColor>{api}</Text>
			</Text>
		</Box>
	);
}
