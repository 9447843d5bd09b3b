import {createServices, startLive, type Services} from '../app/services.js';
import type {Config} from '../core/config.js';
import {CleanupRegistry, installSignalHandlers} from '../runtime/cleanup.js';
import {EXIT, UserFacingError} from '../runtime/exit-codes.js';
import {createLogger, jsonLineSink} from '../runtime/logger.js';
import {createApiServer, UnsafeBindError} from '../server/http-server.js';
import {listenErrorText} from '../server/listen-error.js';
import type {CliIO} from './common.js';

/**
 * `--headless`: the collector and the HTTP API, one JSON object per log line on stdout, no UI
 * (this module must never import Ink). SIGINT/SIGTERM stop scheduling, let the pass in flight
 * finish, end SSE streams, close the server and the database; a second signal exits at once.
 */
export async function runHeadless(config: Config, io: CliIO): Promise<number> {
	const logger = createLogger({level: config.logLevel, sink: jsonLineSink(io.stdout), secrets: [...config.instances.map(i => i.managementKey), config.apiToken, config.alerts.webhookUrl]});
	const cleanup = new CleanupRegistry();
	const fail = async (message: string, code: number) => {
		logger.error(message);
		io.stderr(`cliproxy-usage: ${message}\n`);
		await cleanup.run();
		return code;
	};
	for (const warning of config.warnings) logger.warn(warning);

	let services: Services;
	try {
		services = createServices(config, {logger, cleanup});
	} catch (error) {
		if (error instanceof UserFacingError) return fail(error.message, error.exitCode);
		throw error;
	}
	let api;
	try {
		api = createApiServer({config, collector: services.collector, bus: services.bus, db: services.db, logger, now: services.now, limits: services.limits});
	} catch (error) {
		if (error instanceof UnsafeBindError) return fail(error.message, EXIT.usage);
		throw error;
	}
	cleanup.add('http server', () => api.close());
	try {
		const address = await api.listen();
		logger.info('HTTP API listening', {url: `http://${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`, auth: config.apiToken ? 'bearer token' : 'none (loopback only)'});
	} catch (error) {
		return fail(listenErrorText(error, config.host, config.port), EXIT.failure);
	}

	startLive(services);
	logger.info('collector started', {cpa: config.cliproxyUrl, ...(config.instances.length > 1 ? {instances: config.instances.map(i => `${i.name}=${i.url}`)} : {}), source: config.source, db: config.dbPath, zone: config.zone.kind === 'iana' ? config.zone.name : `${config.zone.offsetMinutes / 60}h`});

	return new Promise<number>(resolve => {
		const uninstall = installSignalHandlers(signal => {
			logger.info('shutting down', {signal});
			void cleanup
				.run((name, error) => logger.error('cleanup step failed', {step: name, error: String(error)}))
				.then(() => {
					logger.info('stopped');
					uninstall();
					resolve(EXIT.ok);
				});
		});
	});
}
