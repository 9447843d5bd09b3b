import {FieldError, isObject} from './fields.js';
import {parseQueuePayload} from './queue-payload.js';
import {readQueueRecord, type QueueBatch} from './queue-record.js';

/** What CPA sends first on `usage` after SUBSCRIBE, and when its credentials or config change. */
export const SUPPORT_REFRESH_MESSAGE = '{"support_refresh":true}';
export const REFRESH_MESSAGE = '{"refresh":true}';

export type RespMessage = {kind: 'support_refresh'} | {kind: 'refresh'} | {kind: 'record'; value: unknown; headers: readonly string[]} | {kind: 'malformed'; problem: string};

/**
 * One message on CPA's `usage` channel: a queue record as JSON (the same object
 * `/usage-queue` returns), or one of the two control messages.
 */
export function readRespMessage(text: string): RespMessage {
	if (text === SUPPORT_REFRESH_MESSAGE) return {kind: 'support_refresh'};
	if (text === REFRESH_MESSAGE) return {kind: 'refresh'};
	let value: unknown;
	let headers: readonly string[];
	try {
		({value, headers} = parseQueuePayload(text));
	} catch (error) {
		return {kind: 'malformed', problem: `not JSON (${(error as Error).message})`};
	}
	if (isObject(value)) {
		const keys = Object.keys(value);
		if (keys.length === 1 && value['support_refresh'] === true) return {kind: 'support_refresh'};
		if (keys.length === 1 && value['refresh'] === true) return {kind: 'refresh'};
	}
	return {kind: 'record', value, headers};
}

/** Items popped with `LPOP usage N`: each one queue record as JSON. Control messages are not records. */
export function readRespItems(items: readonly string[], salt: string, now: number): QueueBatch {
	const batch: QueueBatch = {records: [], problems: []};
	for (let i = 0; i < items.length; i++) {
		const message = readRespMessage(items[i]!);
		if (message.kind === 'malformed') {
			batch.problems.push({index: i, field: 'record', problem: message.problem});
			continue;
		}
		if (message.kind !== 'record') continue;
		try {
			batch.records.push(readQueueRecord(message.value, salt, now, 'resp', message.headers));
		} catch (error) {
			if (!(error instanceof FieldError)) throw error;
			batch.problems.push({index: i, field: error.field, problem: error.problem});
		}
	}
	return batch;
}
