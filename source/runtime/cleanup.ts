/**
 * The one place that knows what must be undone on exit (stop the scheduler, close the server,
 * close the database), in reverse order of registration. `run()` is idempotent: every exit
 * path, the UI's `q`, a signal, or an error, goes through it once.
 */
export class CleanupRegistry {
	private readonly tasks: Array<{name: string; fn: () => unknown}> = [];
	private running: Promise<void> | undefined;

	add(name: string, fn: () => unknown): void {
		this.tasks.push({name, fn});
	}

	run(onError: (name: string, error: unknown) => void = () => {}): Promise<void> {
		this.running ??= (async () => {
			for (const task of this.tasks.reverse()) {
				try {
					await task.fn();
				} catch (error) {
					onError(task.name, error);
				}
			}
		})();
		return this.running;
	}
}

/**
 * SIGINT/SIGTERM run `onSignal` (a graceful stop); a second signal while it runs exits at once.
 */
export function installSignalHandlers(onSignal: (signal: NodeJS.Signals) => void, exitNow: (code: number) => void = code => process.exit(code)): () => void {
	let received = false;
	const handler = (signal: NodeJS.Signals) => {
		if (received) {
			exitNow(signal === 'SIGINT' ? 130 : 143);
			return;
		}
		received = true;
		onSignal(signal);
	};
	process.on('SIGINT', handler);
	process.on('SIGTERM', handler);
	return () => {
		process.off('SIGINT', handler);
		process.off('SIGTERM', handler);
	};
}
