import {createServices, type ServiceOptions, type Services} from '../../source/app/services.js';
import {createLogger, type LogEntry} from '../../source/runtime/logger.js';
import type {Config} from '../../source/core/config.js';
import {CpaStandIn, type StandInOptions} from './cpa-stand-in.js';
import {onCleanup, testConfig} from './temp.js';

export type Harness = Services & {logs: LogEntry[]};

export async function startStandIn(options: StandInOptions): Promise<CpaStandIn> {
	const cpa = await new CpaStandIn(options).start();
	onCleanup(() => cpa.close());
	return cpa;
}

/** Services pointed at the stand-in, logging into memory; closed after the test. */
export function collectorFor(cpa: CpaStandIn | null, env: Record<string, string> = {}, options: Partial<ServiceOptions> & {config?: Config} = {}): Harness {
	const config = options.config ?? testConfig({CLIPROXY_URL: cpa?.url ?? 'http://127.0.0.1:9', LOG_LEVEL: 'debug', ...env});
	const logs: LogEntry[] = [];
	const logger = createLogger({level: 'debug', sink: e => logs.push(e), secrets: [config.managementKey]});
	const services = createServices(config, {...options, logger});
	onCleanup(() => services.cleanup.run());
	return {...services, logs};
}

export function count(h: Services, sql: string, ...params: unknown[]): number {
	return (h.db.prepare(sql).get(...params) as {n: number}).n;
}
