import {render} from 'ink';
import type {CliIO} from '../commands/common.js';
import {EXIT} from '../runtime/exit-codes.js';
import {App} from '../ui/app.js';
import {BLANK_SCREEN} from '../ui/hooks/use-clean-redraw.js';
import type {ServerState} from '../ui/view-model.js';
import {untilExit} from '../ui/until-exit.js';
import {remoteLabel} from './connect-url.js';
import {RemoteClient, RemoteRefusedError, RemoteUnreachableError} from './remote-client.js';
import {RemoteSource} from './remote-source.js';

const ENTER_ALT_SCREEN = '\u001B[?1049h\u001B[H';
const LEAVE_ALT_SCREEN = '\u001B[?1049l';

const terminalSize = () => ({columns: process.stdout.columns || 80, rows: process.stdout.rows || 24});

export type ConnectOptions = {base: URL; token: string | null; bell: boolean; compact: boolean};

/**
 * The dashboard over a `--headless` instance's API: no database, no collector, no API of its
 * own. The first answer is fetched before anything is drawn, so a wrong token or a wrong
 * address is one line on stderr, not a dashboard of zeros; later losses reconnect with backoff.
 */
export async function runConnect(options: ConnectOptions, io: CliIO): Promise<number> {
	const client = new RemoteClient({base: options.base, token: options.token});
	let server: ServerState = null;
	let app: ReturnType<typeof render> | undefined;
	const source = new RemoteSource({
		client,
		label: remoteLabel(options.base),
		onLink: link => {
			server = {remote: link};
			app?.rerender(frame());
		},
	});
	try {
		await source.start('today');
	} catch (error) {
		source.stop();
		if (error instanceof RemoteRefusedError) {
			io.stderr(`cliproxy-usage: ${error.message}\n`);
			return EXIT.usage;
		}
		if (error instanceof RemoteUnreachableError) {
			io.stderr(`cliproxy-usage: --connect ${options.base.origin}: ${error.message}\n`);
			return EXIT.failure;
		}
		throw error;
	}
	server = {remote: source.current};
	const sources = {data: source, zone: source.zone, bus: source.bus, now: source.clock, bell: options.bell};
	let size = terminalSize();
	const frame = () => <App sources={sources} server={server} size={size} compact={options.compact} liveStatusLine />;

	process.stdout.write(ENTER_ALT_SCREEN);
	// As run-dashboard: blank and re-lay out before Ink's own resize listener redraws.
	const onResize = () => {
		size = terminalSize();
		process.stdout.write(BLANK_SCREEN);
		app?.rerender(frame());
	};
	process.stdout.on('resize', onResize);
	app = render(frame(), {exitOnCtrlC: true, patchConsole: true, maxFps: 10});
	await untilExit(app, () => {
		process.stdout.off('resize', onResize);
		source.stop();
		process.stdout.write(LEAVE_ALT_SCREEN);
	});
	return EXIT.ok;
}
