import type {Logger} from '../runtime/logger.js';

/**
 * Log lines about failed authentication, never the token: one summary per burst (`everyMs`
 * after its first failure) with how many failed, how many were turned away while locked out
 * and from how many clients, and a line per lockout (at most `maxLockoutLines` a minute; the
 * rest are counted in the next summary). A flood of bad requests costs a few lines, not one each.
 */
export class AuthFailureLog {
	private failures = 0;
	private blocked = 0;
	private readonly clients = new Set<string>();
	private lockouts = 0;
	private quietLockouts = 0;
	private lockoutLines: number[] = [];
	private timer: NodeJS.Timeout | undefined;
	private last: {client: string; path: string} | null = null;

	constructor(
		private readonly logger: Logger,
		private readonly now: () => number,
		private readonly everyMs = 10_000,
		private readonly maxLockoutLines = 10,
	) {}

	failed(client: string, path: string): void {
		this.failures++;
		this.note(client, path);
	}

	/** A request turned away with 429 while its client was locked out. */
	refused(client: string, path: string): void {
		this.blocked++;
		this.note(client, path);
	}

	lockedOut(client: string, failures: number, seconds: number): void {
		this.lockouts++;
		const now = this.now();
		this.lockoutLines = this.lockoutLines.filter(t => now - t < 60_000);
		if (this.lockoutLines.length >= this.maxLockoutLines) {
			this.quietLockouts++;
			return;
		}
		this.lockoutLines.push(now);
		this.logger.warn('client locked out after repeated failed authentication', {client, failures, retry_after_seconds: seconds});
	}

	/** Writes the pending summary now (tests, shutdown). */
	flush(): void {
		clearTimeout(this.timer);
		this.timer = undefined;
		if (this.failures === 0 && this.blocked === 0) return;
		this.logger.warn('failed authentication attempts', {
			failed: this.failures,
			refused_while_locked_out: this.blocked,
			clients: this.clients.size,
			lockouts: this.lockouts,
			...(this.quietLockouts > 0 ? {lockouts_not_logged: this.quietLockouts} : {}),
			latest_client: this.last?.client,
			latest_path: this.last?.path,
		});
		this.failures = 0;
		this.blocked = 0;
		this.lockouts = 0;
		this.quietLockouts = 0;
		this.clients.clear();
	}

	close(): void {
		this.flush();
	}

	private note(client: string, path: string): void {
		if (this.clients.size < 10_000) this.clients.add(client);
		this.last = {client, path: path.slice(0, 200)};
		if (!this.timer) {
			this.timer = setTimeout(() => this.flush(), this.everyMs);
			this.timer.unref();
		}
	}
}
