import {mergeWindow, windowChanged, type StoredWindow} from '../core/quota/anchor.js';
import {observeResponse} from '../core/quota/observe.js';
import {decodeSignals, readQuotaHeaders} from '../core/quota/signals.js';
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

/** What was last written per (account, window), so a batch need not read it back. */
const written = new WeakMap<Db, Map<string, StoredWindow>>();

/** A later observation that changes nothing shown is written at most this often (its age is shown in minutes). */
const REFRESH_MS = 30_000;

/**
 * Stores observed windows, the latest per (account, window): older observations are ignored,
 * windows a response did not carry are left alone. Returns how many changed what a gauge
 * shows. Call inside the caller's transaction; after that transaction fails, call
 * `forgetWrittenWindows`.
 */
export function storeWindows(db: Db, authIndex: string, windows: readonly QuotaWindow[]): number {
	const s = stmts(db);
	let cache = written.get(db);
	if (!cache) written.set(db, (cache = new Map()));
	let changed = 0;
	for (const w of windows) {
		const key = `${authIndex}\u0001${w.id}`;
		let before = cache.get(key) ?? null;
		if (!before) {
			const row = s.get.get(authIndex, w.id);
			before = row ? fromRow(row) : null;
		}
		const merged = mergeWindow(before, w);
		if (!merged) continue;
		const shownChange = windowChanged(before, merged);
		if (before && !shownChange && merged.anchorAt === before.anchorAt && merged.observedAt - before.observedAt < REFRESH_MS) continue;
		s.upsert.run(authIndex, merged.id, merged.label, merged.usedPercent, merged.resetsAt, merged.windowMinutes, merged.status, merged.source, merged.observedAt, merged.anchorPercent, merged.anchorAt);
		cache.set(key, merged);
		if (shownChange) changed++;
	}
	return changed;
}

export function forgetWrittenWindows(db: Db): void {
	written.delete(db);
}

export function readWindows(db: Db): AccountWindow[] {
	return stmts(db).all.all().map(fromRow);
}

type Pending = {provider: string | null; model: string; statusCode: number | null; carried: string | null; failBody: string | null; at: number};

/**
 * The quota headers of one batch, read once per account and model: the responses of one model
 * on one account carry the same quota headers (a Fable reply adds its `7d_oi` window, say), and
 * only the newest matters, so only the newest record per (account, model) is read (429s, whose
 * headers and body say more, apart). At flush each kept response becomes windows, the newest per
 * (account, window) is stored, and the plan and the latest cooldown go to the account. A window
 * that only an older reply of the same model carried within one batch waits for the next batch.
 */
export class QuotaBatch {
	private readonly pending = new Map<string, Map<string, Pending>>();

	/** `key`: CPA's auth_index as the account is stored (instance-scoped for every CPA but the first). */
	constructor(private readonly key: (authIndex: string) => string = id => id) {}

	add(authIndex: string, r: Pending): void {
		const key = r.statusCode === 429 ? `429\u0002${r.model}` : r.model;
		let byModel = this.pending.get(authIndex);
		if (!byModel) this.pending.set(authIndex, (byModel = new Map()));
		const held = byModel.get(key);
		if (!held || r.at >= held.at) byModel.set(key, r);
	}

	get empty(): boolean {
		return this.pending.size === 0;
	}

	/** Writes the windows and the account facts; returns the accounts whose gauges changed. */
	flush(db: Db, applyFacts: (authIndex: string, plan: string | null, cooldownUntil: number | null) => boolean): string[] {
		const changed: string[] = [];
		for (const [raw, byModel] of this.pending) {
			const authIndex = this.key(raw);
			const windows = new Map<string, QuotaWindow>();
			let plan: {value: string; at: number} | null = null;
			let cooldown: number | null = null;
			for (const p of byModel.values()) {
				const signals = p.carried === null ? null : readQuotaHeaders(p.carried);
				const o = observeResponse({provider: p.provider, statusCode: p.statusCode, headers: signals === null ? null : decodeSignals(signals), failBody: p.failBody, at: p.at});
				for (const w of o.windows) {
					const held = windows.get(w.id);
					if (!held || w.observedAt >= held.observedAt) windows.set(w.id, w);
				}
				if (o.plan !== null && (!plan || p.at >= plan.at)) plan = {value: o.plan, at: p.at};
				if (o.cooldownUntil !== null) cooldown = Math.max(cooldown ?? 0, o.cooldownUntil);
			}
			const windowsChanged = windows.size > 0 && storeWindows(db, authIndex, [...windows.values()]) > 0;
			const factsChanged = (plan !== null || cooldown !== null) && applyFacts(authIndex, plan?.value ?? null, cooldown);
			if (windowsChanged || factsChanged) changed.push(authIndex);
		}
		return changed.sort();
	}
}
