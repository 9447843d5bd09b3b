import type {NewLimit} from '../core/limits/input.js';
import type {LimitConfig, LimitStatus, Strategy} from '../core/limits/types.js';
import type {Db} from './database.js';

type ConfigRow = Omit<LimitConfig, 'strategy'> & {reset_strategy: Strategy};

const COLUMNS = `id, provider, tier_name, model_pattern, reset_strategy, window_minutes, token_limit, request_limit, cost_limit_usd,
	reset_anchor_timestamp, created_at, updated_at`;

/** `rate_limit_configs` and `rate_limit_status`: statements prepared once per instance. */
export class LimitConfigStore {
	private readonly allStmt;
	private readonly getStmt;
	private readonly insertStmt;
	private readonly deleteStmt;
	private readonly anchorStmt;
	private readonly statusStmt;
	private readonly modelsStmt;

	constructor(private readonly db: Db) {
		this.allStmt = db.prepare<[], ConfigRow>(`SELECT ${COLUMNS} FROM rate_limit_configs ORDER BY id`);
		this.getStmt = db.prepare<[number], ConfigRow>(`SELECT ${COLUMNS} FROM rate_limit_configs WHERE id = ?`);
		this.insertStmt = db.prepare(`
			INSERT INTO rate_limit_configs (provider, tier_name, model_pattern, reset_strategy, window_minutes, token_limit, request_limit,
				cost_limit_usd, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
		this.deleteStmt = db.prepare<[number]>('DELETE FROM rate_limit_configs WHERE id = ?');
		this.anchorStmt = db.prepare<[number, number, number]>('UPDATE rate_limit_configs SET reset_anchor_timestamp = ?, updated_at = ? WHERE id = ?');
		this.statusStmt = db.prepare(`
			INSERT INTO rate_limit_status (config_id, used_tokens, used_requests, used_cost_usd, remaining_tokens, remaining_requests,
				remaining_cost_usd, binding, percent_used, percent_remaining, status_label, window_start, next_reset, projected_exhaustion_at,
				estimated, status_json, last_updated)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (config_id) DO UPDATE SET
				used_tokens = excluded.used_tokens, used_requests = excluded.used_requests, used_cost_usd = excluded.used_cost_usd,
				remaining_tokens = excluded.remaining_tokens, remaining_requests = excluded.remaining_requests,
				remaining_cost_usd = excluded.remaining_cost_usd, binding = excluded.binding, percent_used = excluded.percent_used,
				percent_remaining = excluded.percent_remaining, status_label = excluded.status_label, window_start = excluded.window_start,
				next_reset = excluded.next_reset, projected_exhaustion_at = excluded.projected_exhaustion_at, estimated = excluded.estimated,
				status_json = excluded.status_json, last_updated = excluded.last_updated`);
		this.modelsStmt = db.prepare<[], {model: string}>('SELECT model FROM request_dims UNION SELECT DISTINCT model FROM counter_deltas');
	}

	all(): LimitConfig[] {
		return this.allStmt.all().map(fromRow);
	}

	get(id: number): LimitConfig | null {
		const row = this.getStmt.get(id);
		return row ? fromRow(row) : null;
	}

	insert(limit: NewLimit, now: number): number {
		const info = this.insertStmt.run(
			limit.provider,
			limit.tier_name,
			limit.model_pattern,
			limit.strategy,
			limit.window_minutes,
			limit.token_limit,
			limit.request_limit,
			limit.cost_limit_usd,
			now,
			now,
		);
		return Number(info.lastInsertRowid);
	}

	remove(id: number): boolean {
		return this.deleteStmt.run(id).changes > 0;
	}

	setAnchor(id: number, anchor: number, now: number): boolean {
		return this.anchorStmt.run(anchor, now, id).changes > 0;
	}

	/** Upserts every status in one transaction. */
	saveStatuses(statuses: readonly LimitStatus[]): void {
		this.db.transaction(() => {
			for (const s of statuses) {
				this.statusStmt.run(
					s.config.id,
					s.usage.tokens,
					s.usage.requests,
					s.usage.cost_usd,
					s.tokens?.remaining ?? null,
					s.requests?.remaining ?? null,
					s.cost?.remaining ?? null,
					s.binding,
					s.percent_used,
					s.percent_remaining,
					s.label,
					s.window_start,
					s.next_reset,
					s.projected_exhaustion_at,
					s.estimated ? 1 : 0,
					JSON.stringify(s),
					s.last_updated,
				);
			}
		})();
	}

	/** Every model name stored so far (requests and legacy counters). */
	seenModels(): string[] {
		return this.modelsStmt.all().map(r => r.model);
	}
}

function fromRow(r: ConfigRow): LimitConfig {
	return {
		id: r.id,
		provider: r.provider,
		tier_name: r.tier_name,
		model_pattern: r.model_pattern,
		strategy: r.reset_strategy,
		window_minutes: r.window_minutes,
		token_limit: r.token_limit,
		request_limit: r.request_limit,
		cost_limit_usd: r.cost_limit_usd,
		reset_anchor_timestamp: r.reset_anchor_timestamp,
		created_at: r.created_at,
		updated_at: r.updated_at,
	};
}
