import {Cron} from 'croner';

/**
 * Runs `job` every `intervalSeconds` (croner, `protect` so runs never overlap). Errors are
 * the job's to handle; one that escapes is reported and the schedule carries on.
 */
export class PassScheduler {
	private cron: Cron | undefined;
	private seconds = 0;

	constructor(
		private readonly job: () => Promise<void>,
		private readonly onError: (error: unknown) => void,
	) {}

	start(intervalSeconds: number): void {
		if (this.cron && this.seconds === intervalSeconds) return;
		this.cron?.stop();
		this.seconds = intervalSeconds;
		// Without startAt croner fires within a second of starting; the caller has just run a pass.
		const startAt = new Date(Date.now() + intervalSeconds * 1000);
		this.cron = new Cron('* * * * * *', {interval: intervalSeconds, startAt, protect: true, catch: error => this.onError(error)}, () => this.job());
	}

	stop(): void {
		this.cron?.stop();
		this.cron = undefined;
	}

	nextRunAt(): number | null {
		return this.cron?.nextRun()?.getTime() ?? null;
	}

	get intervalSeconds(): number {
		return this.seconds;
	}
}
