import type {RecentActivity} from '../app/recent-activity.js';
import {READS_SCHEMA} from './dashboard-answer.js';
import {answerBody, isNumber, list, numbers, object, RemotePayloadError, strings} from './payload-checks.js';

const numberOrNull = (v: unknown) => v === null || isNumber(v);

/**
 * `GET /api/data/recent`'s answer (server/routes/dashboard.ts): the latest requests and the
 * latency per model, checked as the dashboard's answer is before a view shows them.
 */
export function readRecentAnswer(text: string): RecentActivity {
	const top = answerBody(text, READS_SCHEMA);
	const recent = object(top['recent'], 'recent');
	numbers(recent, 'recent', ['at', 'latencyRequests']);
	if (typeof recent['latencyCapped'] !== 'boolean') throw new RemotePayloadError('recent.latencyCapped: expected true or false');
	list(recent['tail'], 'recent.tail').forEach((r, i) => {
		const path = `recent.tail[${i}]`;
		const row = object(r, path);
		strings(row, path, ['time', 'model']);
		numbers(row, path, ['ts', 'input', 'cacheRead', 'output', 'total']);
		for (const k of ['costUsd', 'latencyMs', 'ttftMs', 'statusCode']) if (!numberOrNull(row[k])) throw new RemotePayloadError(`${path}.${k}: expected a number or null`);
		for (const k of ['account', 'provider', 'authIndex']) if (row[k] !== null && typeof row[k] !== 'string') throw new RemotePayloadError(`${path}.${k}: expected a string or null`);
		for (const k of ['estimated', 'failed']) if (typeof row[k] !== 'boolean') throw new RemotePayloadError(`${path}.${k}: expected true or false`);
	});
	list(recent['latency'], 'recent.latency').forEach((m, i) => {
		const path = `recent.latency[${i}]`;
		const row = object(m, path);
		strings(row, path, ['model']);
		numbers(row, path, ['requests', 'failed', 'rateLimited', 'successRate']);
		for (const k of ['p50Ms', 'p95Ms', 'ttftP50Ms']) if (!numberOrNull(row[k])) throw new RemotePayloadError(`${path}.${k}: expected a number or null`);
	});
	return recent as unknown as RecentActivity;
}
