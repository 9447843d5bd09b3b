/**
 * Failed authentications per client (an IPv4 address or an IPv6 /64, see clientKey). The token
 * is checked first and a right token always passes, so this only ever slows down clients that
 * keep sending a wrong one: after `limit` failures within `windowMs` its wrong tokens get 429
 * instead of 401 for `lockMs`. The table is bounded: past `maxClients` the
 * client that failed least recently and is not locked out goes first, so a stream of new
 * addresses cannot flush the table to unlock itself, and memory stays flat.
 */
export type AuthLimiterOptions = {
	/** @default 10 */
	limit?: number;
	/** @default 60_000 */
	windowMs?: number;
	/** @default 60_000 */
	lockMs?: number;
	/** @default 4096 */
	maxClients?: number;
	now?: () => number;
};

type Bucket = {failures: number; windowStart: number; lockedUntil: number};

export class FailedAuthLimiter {
	/** In order of the latest failure, least recent first. */
	private readonly clients = new Map<string, Bucket>();
	private readonly limit: number;
	private readonly windowMs: number;
	private readonly lockMs: number;
	readonly maxClients: number;
	private readonly now: () => number;

	constructor(options: AuthLimiterOptions = {}) {
		this.limit = options.limit ?? 10;
		this.windowMs = options.windowMs ?? 60_000;
		this.lockMs = options.lockMs ?? 60_000;
		this.maxClients = options.maxClients ?? 4096;
		this.now = options.now ?? Date.now;
	}

	get size(): number {
		return this.clients.size;
	}

	/** Seconds until a locked-out client may try again; 0 when it may try now. */
	retryAfter(client: string): number {
		const b = this.clients.get(client);
		if (!b) return 0;
		const left = b.lockedUntil - this.now();
		return left > 0 ? Math.ceil(left / 1000) : 0;
	}

	/** Counts a failure; `locked` when this one started a lockout. */
	fail(client: string): {failures: number; locked: boolean} {
		const now = this.now();
		let b = this.clients.get(client);
		if (b) this.clients.delete(client);
		if (!b || (b.lockedUntil <= now && now - b.windowStart >= this.windowMs)) b = {failures: 0, windowStart: now, lockedUntil: 0};
		b.failures++;
		let locked = false;
		if (b.lockedUntil <= now && b.failures >= this.limit) {
			b.lockedUntil = now + this.lockMs;
			// The next window starts when the lockout ends.
			b.windowStart = b.lockedUntil;
			b.failures = 0;
			locked = true;
		}
		this.clients.set(client, b);
		if (this.clients.size > this.maxClients) this.evict(now);
		return {failures: locked ? this.limit : b.failures, locked};
	}

	private evict(now: number): void {
		for (const [client, b] of this.clients) {
			if (b.lockedUntil <= now) {
				this.clients.delete(client);
				return;
			}
		}
		// Everyone is locked out: the lockout that started longest ago gives way.
		const oldest = this.clients.keys().next();
		if (!oldest.done) this.clients.delete(oldest.value);
	}
}
