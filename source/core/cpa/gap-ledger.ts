/**
 * Why CPA lost records we never received:
 * - `retention`: nothing drained CPA's queue for longer than its retention, so they expired;
 * - `subscriber_dropped`: CPA closed our RESP subscription (256 messages behind) and dropped what it held;
 * - `cpa_restart`: CPA restarted (its counters went down) with records still queued;
 * - `collector_killed`: the collector died while a popped page was in transit (an upper bound);
 * - `unexplained`: none of those: another consumer took them from the queue, or they expired unseen.
 */
export const GAP_CAUSES = ['retention', 'subscriber_dropped', 'cpa_restart', 'collector_killed', 'unexplained'] as const;
export type GapCause = (typeof GAP_CAUSES)[number];

export type Gap = {from: number; to: number; count: number; cause: GapCause; message: string};

/** CPA's per-credential request counters at one moment (`/auth-files` success + failed). */
export type ServedReading = {at: number; byCredential: ReadonlyMap<string, number>};

/** What happened since the previous evaluation that can explain a loss. */
export type GapContext = {subscriberDrops: number; outageMs: number; retentionMs: number};

/** A new deficit smaller than this is not called a gap (a request CPA counted twice on a retry, say). */
export const GAP_MIN = 3;

const CAUSE_WORDS: Record<GapCause, string> = {
	retention: "CPA queue retention exceeded: nothing drained CPA's queue for longer than it keeps records",
	subscriber_dropped: 'subscriber dropped: CPA closed our RESP subscription and discarded the records it held for us',
	cpa_restart: 'CPA restarted with records still queued',
	collector_killed: 'the collector was killed while a popped page was in transit',
	unexplained: "not received: another consumer took them from CPA's queue, or they expired there",
};

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function gapMessage(count: number, from: number, to: number, cause: GapCause): string {
	const about = cause === 'collector_killed' ? 'up to' : 'about';
	return `${about} ${count} request${count === 1 ? '' : 's'} between ${iso(from)} and ${iso(to)} were not recorded (${CAUSE_WORDS[cause]})`;
}

/**
 * CPA's served counters against the records that reached us, cumulatively, so each lost
 * request is reported once and no request is ever invented. The baseline is a reading taken
 * right after a pass drained (what CPA counted by then has reached us, or is gone for good).
 * Then each comparison: `observe()` a reading taken before the pass drains (a counter that went
 * down is a CPA restart: its new value is the increment), and after the pass `evaluate()` with
 * the records delivered so far. The deficit, served minus delivered, can only be below the
 * real loss (records counted after the reading are delivered early, never late), so it errs
 * towards saying less. One seen in two comparisons in a row and not yet reported becomes a
 * gap, or grows the gap still open. Reports only grow.
 */
export class GapLedger {
	private last: ServedReading | null = null;
	private served = 0;
	private deliveredBase = 0;
	private reported = 0;
	private previousDeficit: number | null = null;
	private balancedAt: number | null = null;
	private restartSeen = false;
	private drops = 0;
	private outageMs = 0;
	private open: Gap | null = null;

	get hasBaseline(): boolean {
		return this.last !== null;
	}

	/** Forgets everything (statistics switched off: CPA counts what it does not queue); the next reading after a drain is a new baseline. */
	reset(): void {
		this.last = null;
		this.previousDeficit = null;
		this.open = null;
	}

	/** A reading taken right after a pass drained, with the records delivered so far. */
	baseline(reading: ServedReading, delivered: number): void {
		this.last = reading;
		this.served = 0;
		this.reported = 0;
		this.deliveredBase = delivered;
		this.balancedAt = reading.at;
		this.previousDeficit = null;
		this.open = null;
		this.restartSeen = false;
		this.drops = 0;
		this.outageMs = 0;
	}

	/** A reading of CPA's counters before a pass drains. Returns whether CPA restarted. */
	observe(reading: ServedReading): boolean {
		const last = this.last;
		if (!last) return false;
		this.last = reading;
		let restarted = false;
		for (const [id, count] of reading.byCredential) {
			const before = last.byCredential.get(id);
			if (before !== undefined && count < before) restarted = true;
		}
		let increment = 0;
		for (const [id, count] of reading.byCredential) {
			const before = restarted ? 0 : (last.byCredential.get(id) ?? 0);
			increment += Math.max(0, count - before);
		}
		this.served += increment;
		if (restarted) this.restartSeen = true;
		return restarted;
	}

	/** After a pass that drained CPA's queue: a new or grown gap, or null. */
	evaluate(delivered: number, now: number, context: GapContext): Gap | null {
		if (!this.last) return null;
		this.drops += context.subscriberDrops;
		this.outageMs = Math.max(this.outageMs, context.outageMs);
		const deficit = this.served - (delivered - this.deliveredBase);
		const previous = this.previousDeficit;
		this.previousDeficit = deficit;
		const standing = previous === null ? -Infinity : Math.min(previous, deficit);
		const fresh = standing - this.reported;
		if (fresh <= 0) {
			if (deficit <= this.reported) {
				// Everything CPA counted has arrived (or is reported): what went before is settled.
				this.balancedAt = now;
				this.open = null;
				this.restartSeen = false;
				this.drops = 0;
				this.outageMs = 0;
			}
			return null;
		}
		if (!this.open && fresh < GAP_MIN) return null;
		this.reported += fresh;
		const cause: GapCause = this.restartSeen ? 'cpa_restart' : this.drops > 0 ? 'subscriber_dropped' : this.outageMs > context.retentionMs ? 'retention' : 'unexplained';
		if (this.open && this.open.cause === cause) {
			this.open.count += fresh;
			this.open.to = now;
			this.open.message = gapMessage(this.open.count, this.open.from, now, cause);
			return this.open;
		}
		const from = this.balancedAt ?? now;
		this.open = {from, to: now, count: fresh, cause, message: gapMessage(fresh, from, now, cause)};
		return this.open;
	}
}
