import {decideCrossings, type Fired} from '../core/alerts/crossings.js';
import type {AlertSubject} from '../core/alerts/subjects.js';
import {DAY_MS} from '../core/time/zone.js';
import type {Db} from './database.js';

export type Delivery = 'none' | 'pending' | 'sent' | 'failed';

/** A threshold this process claimed: it alone announces it. */
export type Claimed = {subject: AlertSubject; threshold: number};

/** A claimed alert whose POST had not finished when the process stopped. */
export type PendingAlert = {subject: string; threshold: number; body: string};

/** Firings are kept this long after their window ended, then deleted. */
const KEEP_MS = 7 * DAY_MS;

/**
 * `alert_state`: which threshold fired in which window (docs/alerts.md). Claiming decides and
 * records in one immediate transaction, so a threshold is announced once even when two
 * processes share the database, and a restart remembers what was already announced.
 */
export class AlertStateStore {
	private readonly firedStmt;
	private readonly upsertStmt;
	private readonly extendStmt;
	private readonly pruneStmt;
	private readonly deliveredStmt;
	private readonly pendingStmt;

	constructor(private readonly db: Db) {
		this.firedStmt = db.prepare<[string], {threshold: number; window_end: number}>('SELECT threshold, window_end FROM alert_state WHERE subject = ?');
		this.upsertStmt = db.prepare<[string, number, number, number, number, Delivery, string | null]>(`
			INSERT INTO alert_state (subject, threshold, window_end, fired_at, percent, delivery, attempts, last_error, body) VALUES (?, ?, ?, ?, ?, ?, 0, NULL, ?)
			ON CONFLICT (subject, threshold) DO UPDATE SET window_end = excluded.window_end, fired_at = excluded.fired_at, percent = excluded.percent,
				delivery = excluded.delivery, attempts = 0, last_error = NULL, body = excluded.body`);
		this.extendStmt = db.prepare<[number, string, number]>('UPDATE alert_state SET window_end = ? WHERE subject = ? AND threshold = ?');
		this.pruneStmt = db.prepare<[number]>('DELETE FROM alert_state WHERE window_end < ?');
		this.deliveredStmt = db.prepare<[Delivery, number, string | null, string, number]>('UPDATE alert_state SET delivery = ?, attempts = ?, last_error = ?, body = NULL WHERE subject = ? AND threshold = ?');
		this.pendingStmt = db.prepare<[number], PendingAlert>("SELECT subject, threshold, body FROM alert_state WHERE delivery = 'pending' AND body IS NOT NULL AND window_end > ? ORDER BY fired_at");
	}

	/**
	 * The thresholds that fire now, recorded as fired (with the webhook body to deliver when
	 * `body` gives one). Subjects below every threshold cost nothing.
	 */
	claim(subjects: readonly AlertSubject[], thresholds: readonly number[], now: number, body: ((c: Claimed) => string) | null): Claimed[] {
		const lowest = thresholds[0];
		if (lowest === undefined) return [];
		const watched = subjects.filter(s => s.percent >= lowest);
		return this.db
			.transaction(() => {
				this.pruneStmt.run(now - KEEP_MS);
				const out: Claimed[] = [];
				for (const subject of watched) {
					const fired = new Map<number, Fired>(this.firedStmt.all(subject.key).map(r => [r.threshold, {threshold: r.threshold, windowEnd: r.window_end}]));
					const {fire, extend} = decideCrossings(subject, thresholds, fired, now);
					for (const e of extend) this.extendStmt.run(e.windowEnd, subject.key, e.threshold);
					for (const f of fire) {
						const claimed = {subject, threshold: f.threshold};
						this.upsertStmt.run(subject.key, f.threshold, f.windowEnd, now, subject.percent, body ? 'pending' : 'none', body ? body(claimed) : null);
						out.push(claimed);
					}
				}
				return out;
			})
			.immediate();
	}

	/** After the POST: `sent` or `failed` (the body is then dropped). */
	delivered(subject: string, threshold: number, outcome: 'sent' | 'failed', attempts: number, error: string | null): void {
		this.deliveredStmt.run(outcome, attempts, error, subject, threshold);
	}

	/** Claimed alerts whose POST did not finish before a stop, still in their window. */
	pending(now: number): PendingAlert[] {
		return this.pendingStmt.all(now);
	}
}
