/**
 * Waits until the Ink app exits, on q, Ctrl-C, SIGTERM or SIGHUP (each unmounts it), then runs
 * `cleanup` once: the one way out of the local and the remote dashboard.
 */
export async function untilExit(app: {unmount(): void; waitUntilExit(): Promise<unknown>}, cleanup: () => unknown): Promise<void> {
	const onSignal = () => app.unmount();
	process.once('SIGTERM', onSignal);
	process.once('SIGHUP', onSignal);
	try {
		await app.waitUntilExit();
	} finally {
		process.off('SIGTERM', onSignal);
		process.off('SIGHUP', onSignal);
		await cleanup();
	}
}
