import type {DashboardData} from '../app/dashboard-data.js';
import type {CollectorStatus} from '../collector/status.js';
import {PERIODS} from '../core/time/periods.js';
import type {Zone} from '../core/time/zone.js';
import {answerBody, isNumber, list, numbers, object, RemotePayloadError, strings} from './payload-checks.js';

/** The `schema` of `GET /api/data/dashboard` this build reads (server/routes/dashboard.ts). */
export const READS_SCHEMA = 1;

export type DashboardAnswer = {zone: Zone; data: DashboardData; status: CollectorStatus};

/**
 * The dashboard route's answer, checked before anything shows it: bounded (depth, list
 * lengths, string lengths) and of the shape the views read, field by field where a wrong type
 * would crash a view. Strings are left for the views' own sanitiser (safeText), as local data is.
 */
export function readDashboardAnswer(text: string): DashboardAnswer {
	const top = answerBody(text, READS_SCHEMA);
	const zone = object(top['zone'], 'zone');
	if (!(zone['kind'] === 'iana' && typeof zone['name'] === 'string') && !(zone['kind'] === 'fixed' && isNumber(zone['offsetMinutes']))) throw new RemotePayloadError('zone: expected {kind: "iana", name} or {kind: "fixed", offsetMinutes}');
	const data = object(top['data'], 'data');
	numbers(data, 'data', ['at', 'burnPerHour', 'projectedEndOfDay']);
	if (!(PERIODS as readonly unknown[]).includes(data['period'])) throw new RemotePayloadError(`data.period: expected one of ${PERIODS.join(', ')}`);
	const today = object(data['today'], 'data.today');
	numbers(today, 'data.today', ['requests', 'failed', 'tokens', 'cost_usd']);
	numbers(object(data['vsYesterday'], 'data.vsYesterday'), 'data.vsYesterday', ['yesterdayCostSoFar', 'yesterdayCost']);
	numbers(object(data['periodTotals'], 'data.periodTotals'), 'data.periodTotals', ['requests', 'tokens', 'costUsd', 'estimatedRequests']);
	const hourly = list(data['hourlyCost'], 'data.hourlyCost');
	if (!hourly.every(isNumber)) throw new RemotePayloadError('data.hourlyCost: expected numbers');
	list(data['models'], 'data.models').forEach((m, i) => {
		const row = object(m, `data.models[${i}]`);
		strings(row, `data.models[${i}]`, ['model', 'provider']);
		numbers(row, `data.models[${i}]`, ['requests', 'totalTokens', 'costUsd', 'estimatedRequests', 'share']);
	});
	list(data['gauges'], 'data.gauges').forEach((g, i) => {
		const gauge = object(g, `data.gauges[${i}]`);
		object(gauge['config'], `data.gauges[${i}].config`);
		numbers(gauge, `data.gauges[${i}]`, ['percent_used']);
		strings(gauge, `data.gauges[${i}]`, ['label']);
	});
	list(data['accounts'], 'data.accounts').forEach((a, i) => {
		const account = object(a, `data.accounts[${i}]`);
		strings(account, `data.accounts[${i}]`, ['authIndex', 'label', 'state']);
		object(account['usage'], `data.accounts[${i}].usage`);
		list(account['modelCooldowns'], `data.accounts[${i}].modelCooldowns`);
		list(account['quotas'], `data.accounts[${i}].quotas`).forEach((q, j) => {
			const window = object(q, `data.accounts[${i}].quotas[${j}]`);
			strings(window, `data.accounts[${i}].quotas[${j}]`, ['id', 'label']);
			numbers(window, `data.accounts[${i}].quotas[${j}]`, ['usedPercent', 'ageMs']);
		});
	});
	const status = object(top['status'], 'status');
	const source = object(status['source'], 'status.source');
	strings(source, 'status.source', ['url', 'mode']);
	if (!list(status['warnings'], 'status.warnings').every(w => typeof w === 'string')) throw new RemotePayloadError('status.warnings: expected strings');
	if (status['instances'] !== undefined) {
		// Several CPAs behind the remote: each one's status, as the status line reads it.
		list(status['instances'], 'status.instances').forEach((one, i) => {
			const inst = object(one, `status.instances[${i}]`);
			strings(inst, `status.instances[${i}]`, ['instance']);
			strings(object(inst['source'], `status.instances[${i}].source`), `status.instances[${i}].source`, ['url', 'mode']);
		});
	}
	return {zone: zone as unknown as Zone, data: data as unknown as DashboardData, status: status as unknown as CollectorStatus};
}
