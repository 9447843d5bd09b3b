import type {UsageMetricRow} from '../core/report/usage-families.js';
import type {Db} from './database.js';

type Row = {[K in keyof UsageMetricRow as string extends K ? never : K]: UsageMetricRow[K]} & {account: string | null; auth_index: string};

const statements = new WeakMap<Db, {all: () => Row[]}>();

/**
 * All-time sums per (instance, provider, model, account) from the daily rollups, the account
 * named by its label as the accounts view shows it (label, else its auth_index; '' none).
 * Instance is as stored ('' the configured CPA). Raw labels: the caller bounds them.
 */
export function readMetricTotals(db: Db): UsageMetricRow[] {
	let s = statements.get(db);
	if (!s) {
		const stmt = db.prepare<[], Row>(`
			SELECT s.instance, s.provider, s.model, s.auth_index, a.label account,
				sum(u.requests) requests, sum(u.failed) failed, sum(u.rate_limited) rate_limited, sum(u.cancelled) cancelled,
				sum(u.input) input, sum(u.cache_read) cache_read, sum(u.cache_write) cache_write, sum(u.output) output, sum(u.reasoning) reasoning,
				sum(u.cost) cost, sum(u.estimated) estimated
			FROM usage_1d u JOIN series s ON s.id = u.series_id LEFT JOIN accounts a ON a.auth_index = CASE s.instance WHEN '' THEN s.auth_index ELSE s.instance || '/' || s.auth_index END
			GROUP BY s.instance, s.provider, s.model, s.auth_index ORDER BY 1, 2, 3, 4`);
		s = {all: () => stmt.all()};
		statements.set(db, s);
	}
	return s.all().map(({auth_index, account, ...r}) => ({...r, account: auth_index === '' ? '' : (account ?? auth_index)}) as UsageMetricRow);
}
