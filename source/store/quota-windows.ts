import {mergeWindow, windowChanged, type StoredWindow} from '../core/quota/anchor.js';
import type {QuotaSource, QuotaStatus, QuotaWindow} from '../core/quota/types.js';
import type {Db} from './database.js';

type Row = {
	auth_index: string;
	window_id: string;
	label: string;
	used_percent: number;
	resets_at: number | null;
	window_minutes: number | null;
	status: string | null;
	source: string;
	observed_at: number;
	anchor_percent: number | null;
	anchor_at: number | null;
};

export type AccountWindow = StoredWindow & {authIndex: string};

const statements = new WeakMap<Db, ReturnType<typeof prepare>>();

function prepare(db: Db) {
	return {
		get: db.prepare<[string, string], Row>('SELECT * FROM quota_windows WHERE auth_index = ? AND window_id = ?'),
		all: db.prepare<[], Row>('SELECT * FROM quota_windows ORDER BY auth_index, window_id'),
		upsert: db.prepare(`
			INSERT INTO quota_windows (auth_index, window_id, label, used_percent, resets_at, window_minutes, status, source, observed_at, anchor_percent, anchor_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (auth_index, window_id) DO UPDATE SET label = excluded.label, used_percent = excluded.used_percent,
				resets_at = excluded.resets_at, window_minutes = excluded.window_minutes, status = excluded.status, source = excluded.source,
				observed_at = excluded.observed_at, anchor_percent = excluded.anchor_percent, anchor_at = excluded.anchor_at`),
	};
}

function stmts(db: Db) {
	let s = statements.get(db);
	if (!s) statements.set(db, (s = prepare(db)));
	return s;
}

function fromRow(r: Row): AccountWindow {
	return {
		authIndex: r.auth_index,
		id: r.window_id,
		label: r.label,
		usedPercent: r.used_percent,
		resetsAt: r.resets_at,
		windowMinutes: r.window_minutes,
		status: r.status as QuotaStatus | null,
		source: r.source as QuotaSource,
		observedAt: r.observed_at,
		anchorPercent: r.anchor_percent,
		anchorAt: r.anchor_at,
	};
}

/**
 * Stores observed windows, the latest per (account, window): older observations are ignored,
 * windows a response did not carry are left alone. Returns how many changed what a gauge
 * shows. Call inside the caller's transaction.
 */
export function storeWindows(db: Db, authIndex: string, windows: readonly QuotaWindow[]): number {
	const s = stmts(db);
	let changed = 0;
	for (const w of windows) {
		const row = s.get.get(authIndex, w.id);
		const before = row ? fromRow(row) : null;
		const merged = mergeWindow(before, w);
		if (!merged) continue;
		s.upsert.run(authIndex, merged.id, merged.label, merged.usedPercent, merged.resetsAt, merged.windowMinutes, merged.status, merged.source, merged.observedAt, merged.anchorPercent, merged.anchorAt);
		if (windowChanged(before, merged)) changed++;
	}
	return changed;
}

export function readWindows(db: Db): AccountWindow[] {
	return stmts(db).all.all().map(fromRow);
}

/** Keeps the newest observation per (account, window) of one batch, so each is written once. */
export class QuotaBatch {
	private readonly windows = new Map<string, Map<string, QuotaWindow>>();
	private readonly facts = new Map<string, {plan: string | null; cooldownUntil: number | null; at: number}>();

	add(authIndex: string, observed: {windows: readonly QuotaWindow[]; plan: string | null; cooldownUntil: number | null}, at: number): void {
		if (observed.windows.length > 0) {
			let byId = this.windows.get(authIndex);
			if (!byId) this.windows.set(authIndex, (byId = new Map()));
			for (const w of observed.windows) {
				const held = byId.get(w.id);
				if (!held || w.observedAt >= held.observedAt) byId.set(w.id, w);
			}
		}
		if (observed.plan !== null || observed.cooldownUntil !== null) {
			const f = this.facts.get(authIndex);
			if (!f) this.facts.set(authIndex, {plan: observed.plan, cooldownUntil: observed.cooldownUntil, at});
			else {
				if (observed.plan !== null && at >= f.at) f.plan = observed.plan;
				if (observed.cooldownUntil !== null) f.cooldownUntil = Math.max(f.cooldownUntil ?? 0, observed.cooldownUntil);
				f.at = Math.max(f.at, at);
			}
		}
	}

	get empty(): boolean {
		return this.windows.size === 0 && this.facts.size === 0;
	}

	/** Writes the windows and the account facts; returns the accounts whose gauges changed. */
	flush(db: Db, applyFacts: (authIndex: string, plan: string | null, cooldownUntil: number | null) => boolean): string[] {
		const changed = new Set<string>();
		for (const [authIndex, byId] of this.windows) if (storeWindows(db, authIndex, [...byId.values()]) > 0) changed.add(authIndex);
		for (const [authIndex, f] of this.facts) if (applyFacts(authIndex, f.plan, f.cooldownUntil)) changed.add(authIndex);
		return [...changed].sort();
	}
}
