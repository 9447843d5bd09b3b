import {render} from 'ink';
import {localDataSource} from '../app/data-source.js';
import {createServices, startLive, type Services} from '../app/services.js';
import type {CliIO} from '../commands/common.js';
import type {Config} from '../core/config.js';
import {CleanupRegistry} from '../runtime/cleanup.js';
import {EXIT, UserFacingError} from '../runtime/exit-codes.js';
import {createLogger, type LogEntry} from '../runtime/logger.js';
import {createApiServer, UnsafeBindError} from '../server/http-server.js';
import {listenErrorText} from '../server/listen-error.js';
import {App} from './app.js';
import {BLANK_SCREEN} from './hooks/use-clean-redraw.js';
import type {ServerState} from './view-model.js';
import {untilExit} from './until-exit.js';

const ENTER_ALT_SCREEN = '\u001B[?1049h\u001B[H';
const LEAVE_ALT_SCREEN = '\u001B[?1049l';

export type DashboardOptions = {compact: boolean};

const terminalSize = () => ({columns: process.stdout.columns || 80, rows: process.stdout.rows || 24});

/**
 * The dashboard: collector, HTTP API and Ink UI in one process. Opens from the stored history
 * before the first pass finishes; every way out (q, Ctrl-C, SIGTERM, an error) goes through
 * one cleanup that stops the collector, closes the server and the database, and restores the
 * terminal.
 */
export async function runDashboard(config: Config, io: CliIO, options: DashboardOptions): Promise<number> {
	if (!process.stdout.isTTY || !process.stdin.isTTY) {
		io.stderr('cliproxy-usage: the dashboard needs a terminal: run --headless for a service, or --once for a summary.\n');
		return EXIT.usage;
	}
	// Log lines would tear the frame; what matters reaches the screen through the collector's status.
	const recent: LogEntry[] = [];
	const logger = createLogger({level: config.logLevel, sink: entry => recent.push(entry) > 200 && recent.shift(), secrets: [...config.instances.map(i => i.managementKey), config.apiToken, config.alerts.webhookUrl]});
	const cleanup = new CleanupRegistry();
	let services: Services;
	try {
		services = createServices(config, {logger, cleanup});
	} catch (error) {
		if (error instanceof UserFacingError) {
			io.stderr(`cliproxy-usage: ${error.message}\n`);
			return error.exitCode;
		}
		throw error;
	}

	// Refused before anything is drawn: an API open to the network needs a token.
	let api: ReturnType<typeof createApiServer>;
	try {
		api = createApiServer({config, collector: services.collector, bus: services.bus, db: services.db, logger, now: services.now, limits: services.limits});
	} catch (error) {
		await cleanup.run();
		if (error instanceof UnsafeBindError) {
			io.stderr(`cliproxy-usage: ${error.message}\n`);
			return EXIT.usage;
		}
		throw error;
	}
	cleanup.add('http server', () => api.close());

	// The first frame comes from the database alone; collection and the API start after it.
	process.stdout.write(ENTER_ALT_SCREEN);
	cleanup.add('terminal', () => process.stdout.write(LEAVE_ALT_SCREEN));
	const data = localDataSource({db: services.db, zone: config.zone, collector: services.collector, limits: services.limits});
	const sources = {data, zone: config.zone, bus: services.bus, now: services.now, bell: config.alerts.bell};
	let server: ServerState = null;
	let size = terminalSize();
	const frame = () => <App sources={sources} server={server} size={size} compact={options.compact} liveStatusLine />;
	// A resize, before Ink's own listener (Ink adds it in render()): blank the screen, cursor
	// home, and render the tree at the new size, so the frame Ink then draws has the new width
	// and lands on a clean screen where its bookkeeping expects it. Otherwise Ink redraws the
	// old, wider tree first, tmux wraps and scrolls it, and pieces of it stay at the top.
	// useCleanRedraw repaints the whole frame once the resizes settle.
	let app: ReturnType<typeof render> | undefined;
	const onResize = () => {
		size = terminalSize();
		process.stdout.write(BLANK_SCREEN);
		app?.rerender(frame());
	};
	process.stdout.on('resize', onResize);
	cleanup.add('resize', () => process.stdout.off('resize', onResize));
	app = render(frame(), {exitOnCtrlC: true, patchConsole: true, maxFps: 10});
	const show = (state: ServerState) => {
		server = state;
		app.rerender(frame());
	};
	setImmediate(() => {
		startLive(services);
		api.listen().then(
			address => show({url: `http://${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`}),
			(error: unknown) => show({error: `HTTP API not started: ${listenErrorText(error, config.host, config.port)}`}),
		);
	});
	await untilExit(app, () => cleanup.run());
	return EXIT.ok;
}
