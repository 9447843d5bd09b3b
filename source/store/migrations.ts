import type {Db} from './database.js';
import {migrateRollups, ROLLUPS_SQL} from './rollup-migration.js';

/**
 * Numbered schema migrations. `PRAGMA user_version` is the number of the last one applied;
 * each runs in its own transaction together with the version bump. Never edit a shipped
 * migration: add the next number.
 */
export type Migration = {
	version: number;
	name: string;
	sql: string;
	/** What SQL alone cannot do, run after `sql` in the same transaction. */
	run?: (db: Db) => void;
};

export const MIGRATIONS: readonly Migration[] = [
	{
		version: 1,
		name: 'collector core: requests, rollups, legacy counters, state',
		sql: `
CREATE TABLE request_dims (
	id INTEGER PRIMARY KEY,
	signature TEXT NOT NULL UNIQUE,
	origin TEXT NOT NULL,
	provider TEXT,
	executor_type TEXT,
	model TEXT NOT NULL,
	alias TEXT,
	endpoint TEXT,
	auth_type TEXT,
	auth_index TEXT,
	source TEXT,
	client_key TEXT,
	client_key_hash TEXT,
	reasoning_effort TEXT,
	service_tier TEXT,
	tb_quality TEXT
);
CREATE INDEX request_dims_model ON request_dims(model);

CREATE TABLE price_refs (
	id INTEGER PRIMARY KEY,
	ref TEXT NOT NULL UNIQUE
);

-- One row per request, clustered by time: the key starts with the timestamp (see
-- dedupeKey), so inserts append and time ranges read contiguous pages. Query a time range
-- with the key (keyRange in store/time-range.ts), not with ts, which is not indexed.
-- The descriptive strings repeat across millions of rows, so they live once in request_dims.
CREATE TABLE requests (
	dedupe_key BLOB PRIMARY KEY,
	ts INTEGER NOT NULL,
	dim_id INTEGER NOT NULL REFERENCES request_dims(id),
	request_id TEXT,
	failed INTEGER NOT NULL DEFAULT 0,
	status_code INTEGER,
	latency_ms INTEGER,
	ttft_ms INTEGER,
	input_tokens INTEGER NOT NULL DEFAULT 0,
	output_tokens INTEGER NOT NULL DEFAULT 0,
	reasoning_tokens INTEGER NOT NULL DEFAULT 0,
	cached_tokens INTEGER NOT NULL DEFAULT 0,
	cache_read_tokens INTEGER NOT NULL DEFAULT 0,
	cache_creation_tokens INTEGER NOT NULL DEFAULT 0,
	total_tokens INTEGER NOT NULL DEFAULT 0,
	tb_input_uncached INTEGER,
	tb_input_cache_read INTEGER,
	tb_input_cache_write INTEGER,
	tb_output INTEGER,
	tb_output_reasoning INTEGER,
	tb_unclassified INTEGER,
	cost_usd REAL,
	cost_estimated INTEGER NOT NULL DEFAULT 0,
	price_id INTEGER REFERENCES price_refs(id),
	collected_at INTEGER NOT NULL
) WITHOUT ROWID;

-- The flat view every reader uses.
CREATE VIEW requests_full AS
SELECT r.dedupe_key, r.ts, r.request_id, r.failed, r.status_code, r.latency_ms, r.ttft_ms,
	r.input_tokens, r.output_tokens, r.reasoning_tokens, r.cached_tokens, r.cache_read_tokens, r.cache_creation_tokens, r.total_tokens,
	r.tb_input_uncached, r.tb_input_cache_read, r.tb_input_cache_write, r.tb_output, r.tb_output_reasoning, r.tb_unclassified,
	r.cost_usd, r.cost_estimated, p.ref AS price_ref, r.collected_at,
	d.origin, d.provider, d.executor_type, d.model, d.alias, d.endpoint, d.auth_type, d.auth_index, d.source,
	d.client_key, d.client_key_hash, d.reasoning_effort, d.service_tier, d.tb_quality
FROM requests r JOIN request_dims d ON d.id = r.dim_id LEFT JOIN price_refs p ON p.id = r.price_id;

CREATE TABLE hourly_stats (
	hour_start INTEGER NOT NULL,
	provider TEXT NOT NULL,
	model TEXT NOT NULL,
	requests INTEGER NOT NULL DEFAULT 0,
	failed INTEGER NOT NULL DEFAULT 0,
	input_tokens INTEGER NOT NULL DEFAULT 0,
	output_tokens INTEGER NOT NULL DEFAULT 0,
	reasoning_tokens INTEGER NOT NULL DEFAULT 0,
	cached_tokens INTEGER NOT NULL DEFAULT 0,
	cache_read_tokens INTEGER NOT NULL DEFAULT 0,
	cache_creation_tokens INTEGER NOT NULL DEFAULT 0,
	total_tokens INTEGER NOT NULL DEFAULT 0,
	cost_usd REAL NOT NULL DEFAULT 0,
	estimated_requests INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (hour_start, provider, model)
) WITHOUT ROWID;

CREATE TABLE daily_stats (
	id INTEGER PRIMARY KEY,
	stat_date TEXT NOT NULL UNIQUE,
	total_requests INTEGER NOT NULL DEFAULT 0,
	success_count INTEGER NOT NULL DEFAULT 0,
	failure_count INTEGER NOT NULL DEFAULT 0,
	total_tokens INTEGER NOT NULL DEFAULT 0,
	estimated_cost_usd REAL NOT NULL DEFAULT 0,
	estimated_requests INTEGER NOT NULL DEFAULT 0,
	breakdown TEXT NOT NULL DEFAULT '{}',
	updated_at INTEGER NOT NULL
);

CREATE TABLE counter_deltas (
	id INTEGER PRIMARY KEY,
	interval_start INTEGER NOT NULL,
	interval_end INTEGER NOT NULL,
	api TEXT NOT NULL,
	model TEXT NOT NULL,
	requests INTEGER NOT NULL,
	total_tokens INTEGER NOT NULL,
	cost_usd REAL,
	cost_estimated INTEGER NOT NULL DEFAULT 1,
	collected_at INTEGER NOT NULL
);
CREATE INDEX counter_deltas_end ON counter_deltas(interval_end);

CREATE TABLE usage_snapshots (
	id INTEGER PRIMARY KEY,
	collected_at INTEGER NOT NULL,
	cpa_version TEXT,
	total_requests INTEGER NOT NULL,
	success_count INTEGER NOT NULL,
	failure_count INTEGER NOT NULL,
	total_tokens INTEGER NOT NULL,
	new_details INTEGER NOT NULL,
	residual_requests INTEGER NOT NULL
);

CREATE TABLE legacy_arrays (
	array_id TEXT PRIMARY KEY,
	api TEXT NOT NULL,
	model TEXT NOT NULL,
	detail_count INTEGER NOT NULL,
	last_key TEXT NOT NULL,
	total_requests INTEGER NOT NULL,
	total_tokens INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE collector_state (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;
`,
	},
	{
		version: 2,
		name: 'pricing: user overrides and the cached copy of the last price fetch',
		sql: `
-- prices set MODEL: USD per million tokens; NULL cache prices come from the source below.
CREATE TABLE price_overrides (
	model TEXT PRIMARY KEY,
	input REAL NOT NULL,
	output REAL NOT NULL,
	cache_read REAL,
	cache_write REAL,
	updated_at INTEGER NOT NULL
) WITHOUT ROWID;

-- One row per price source (litellm, llm-prices): the last good fetch, converted to our
-- table shape (JSON), and when it was last tried, so fetching stays at most daily.
CREATE TABLE price_cache (
	source TEXT PRIMARY KEY,
	version TEXT,
	origin TEXT,
	body TEXT,
	fetched_at INTEGER,
	attempted_at INTEGER NOT NULL,
	last_error TEXT
) WITHOUT ROWID;
`,
	},
	{
		version: 3,
		name: 'rate limits: configs, their last status, and per-day model sums for long ranges',
		sql: `
-- A user-defined limit. provider and tier_name are labels; model_pattern selects the models
-- (case-insensitive: a glob over the whole name with * or ?, else a substring). At least one
-- of the three limits is set. window_minutes is the length of a rolling window and NULL for
-- daily and weekly. reset_anchor_timestamp (UTC ms) is the last manual reset: it starts the
-- window until the next natural boundary passes it.
CREATE TABLE rate_limit_configs (
	id INTEGER PRIMARY KEY,
	provider TEXT NOT NULL,
	tier_name TEXT NOT NULL,
	model_pattern TEXT NOT NULL CHECK (length(model_pattern) > 0),
	token_limit INTEGER CHECK (token_limit IS NULL OR token_limit > 0),
	request_limit INTEGER CHECK (request_limit IS NULL OR request_limit > 0),
	cost_limit_usd REAL CHECK (cost_limit_usd IS NULL OR cost_limit_usd > 0),
	reset_strategy TEXT NOT NULL CHECK (reset_strategy IN ('daily', 'weekly', 'rolling')),
	window_minutes INTEGER CHECK (window_minutes IS NULL OR window_minutes > 0),
	reset_anchor_timestamp INTEGER,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	CHECK (token_limit IS NOT NULL OR request_limit IS NOT NULL OR cost_limit_usd IS NOT NULL),
	CHECK ((reset_strategy = 'rolling') = (window_minutes IS NOT NULL))
);

-- The status computed after the last collection pass or reset, one row per config. The
-- original stored percent REMAINING as "percentage"; here both are named. The percentages
-- and remaining_* are those of the binding (most used) dimension; status_json holds the
-- whole LimitStatus.
CREATE TABLE rate_limit_status (
	config_id INTEGER PRIMARY KEY REFERENCES rate_limit_configs(id) ON DELETE CASCADE,
	used_tokens INTEGER NOT NULL,
	used_requests INTEGER NOT NULL,
	used_cost_usd REAL NOT NULL,
	remaining_tokens INTEGER,
	remaining_requests INTEGER,
	remaining_cost_usd REAL,
	binding TEXT NOT NULL,
	percent_used REAL NOT NULL,
	percent_remaining REAL NOT NULL,
	status_label TEXT NOT NULL,
	window_start INTEGER NOT NULL,
	next_reset INTEGER,
	projected_exhaustion_at INTEGER,
	estimated INTEGER NOT NULL,
	status_json TEXT NOT NULL,
	last_updated INTEGER NOT NULL
) WITHOUT ROWID;

-- hourly_stats summed per UTC day, kept in step by triggers inside the writer's transaction
-- (the writer does not know about it), so a 30-day range reads ~30 rows per model instead of
-- ~720. Rows may reach zero but are not deleted.
CREATE TABLE daily_model_stats (
	day_start INTEGER NOT NULL,
	provider TEXT NOT NULL,
	model TEXT NOT NULL,
	requests INTEGER NOT NULL DEFAULT 0,
	failed INTEGER NOT NULL DEFAULT 0,
	input_tokens INTEGER NOT NULL DEFAULT 0,
	output_tokens INTEGER NOT NULL DEFAULT 0,
	reasoning_tokens INTEGER NOT NULL DEFAULT 0,
	cached_tokens INTEGER NOT NULL DEFAULT 0,
	cache_read_tokens INTEGER NOT NULL DEFAULT 0,
	cache_creation_tokens INTEGER NOT NULL DEFAULT 0,
	total_tokens INTEGER NOT NULL DEFAULT 0,
	cost_usd REAL NOT NULL DEFAULT 0,
	estimated_requests INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (day_start, provider, model)
) WITHOUT ROWID;
INSERT INTO daily_model_stats (day_start, provider, model, requests, failed, input_tokens, output_tokens, reasoning_tokens, cached_tokens, cache_read_tokens, cache_creation_tokens, total_tokens, cost_usd, estimated_requests)
SELECT hour_start - hour_start % 86400000, provider, model, sum(requests), sum(failed), sum(input_tokens), sum(output_tokens), sum(reasoning_tokens), sum(cached_tokens), sum(cache_read_tokens), sum(cache_creation_tokens), sum(total_tokens), sum(cost_usd), sum(estimated_requests)
FROM hourly_stats GROUP BY 1, 2, 3;
CREATE TRIGGER hourly_stats_day_insert AFTER INSERT ON hourly_stats BEGIN
	INSERT INTO daily_model_stats (day_start, provider, model, requests, failed, input_tokens, output_tokens, reasoning_tokens, cached_tokens, cache_read_tokens, cache_creation_tokens, total_tokens, cost_usd, estimated_requests)
	VALUES (NEW.hour_start - NEW.hour_start % 86400000, NEW.provider, NEW.model, NEW.requests, NEW.failed, NEW.input_tokens, NEW.output_tokens, NEW.reasoning_tokens, NEW.cached_tokens, NEW.cache_read_tokens, NEW.cache_creation_tokens, NEW.total_tokens, NEW.cost_usd, NEW.estimated_requests)
	ON CONFLICT (day_start, provider, model) DO UPDATE SET requests = requests + excluded.requests, failed = failed + excluded.failed, input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens, reasoning_tokens = reasoning_tokens + excluded.reasoning_tokens, cached_tokens = cached_tokens + excluded.cached_tokens, cache_read_tokens = cache_read_tokens + excluded.cache_read_tokens, cache_creation_tokens = cache_creation_tokens + excluded.cache_creation_tokens, total_tokens = total_tokens + excluded.total_tokens, cost_usd = cost_usd + excluded.cost_usd, estimated_requests = estimated_requests + excluded.estimated_requests;
END;
CREATE TRIGGER hourly_stats_day_update AFTER UPDATE ON hourly_stats BEGIN
	UPDATE daily_model_stats SET requests = requests - OLD.requests, failed = failed - OLD.failed, input_tokens = input_tokens - OLD.input_tokens, output_tokens = output_tokens - OLD.output_tokens, reasoning_tokens = reasoning_tokens - OLD.reasoning_tokens, cached_tokens = cached_tokens - OLD.cached_tokens, cache_read_tokens = cache_read_tokens - OLD.cache_read_tokens, cache_creation_tokens = cache_creation_tokens - OLD.cache_creation_tokens, total_tokens = total_tokens - OLD.total_tokens, cost_usd = cost_usd - OLD.cost_usd, estimated_requests = estimated_requests - OLD.estimated_requests
	WHERE day_start = OLD.hour_start - OLD.hour_start % 86400000 AND provider = OLD.provider AND model = OLD.model;
	INSERT INTO daily_model_stats (day_start, provider, model, requests, failed, input_tokens, output_tokens, reasoning_tokens, cached_tokens, cache_read_tokens, cache_creation_tokens, total_tokens, cost_usd, estimated_requests)
	VALUES (NEW.hour_start - NEW.hour_start % 86400000, NEW.provider, NEW.model, NEW.requests, NEW.failed, NEW.input_tokens, NEW.output_tokens, NEW.reasoning_tokens, NEW.cached_tokens, NEW.cache_read_tokens, NEW.cache_creation_tokens, NEW.total_tokens, NEW.cost_usd, NEW.estimated_requests)
	ON CONFLICT (day_start, provider, model) DO UPDATE SET requests = requests + excluded.requests, failed = failed + excluded.failed, input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens, reasoning_tokens = reasoning_tokens + excluded.reasoning_tokens, cached_tokens = cached_tokens + excluded.cached_tokens, cache_read_tokens = cache_read_tokens + excluded.cache_read_tokens, cache_creation_tokens = cache_creation_tokens + excluded.cache_creation_tokens, total_tokens = total_tokens + excluded.total_tokens, cost_usd = cost_usd + excluded.cost_usd, estimated_requests = estimated_requests + excluded.estimated_requests;
END;
CREATE TRIGGER hourly_stats_day_delete AFTER DELETE ON hourly_stats BEGIN
	UPDATE daily_model_stats SET requests = requests - OLD.requests, failed = failed - OLD.failed, input_tokens = input_tokens - OLD.input_tokens, output_tokens = output_tokens - OLD.output_tokens, reasoning_tokens = reasoning_tokens - OLD.reasoning_tokens, cached_tokens = cached_tokens - OLD.cached_tokens, cache_read_tokens = cache_read_tokens - OLD.cache_read_tokens, cache_creation_tokens = cache_creation_tokens - OLD.cache_creation_tokens, total_tokens = total_tokens - OLD.total_tokens, cost_usd = cost_usd - OLD.cost_usd, estimated_requests = estimated_requests - OLD.estimated_requests
	WHERE day_start = OLD.hour_start - OLD.hour_start % 86400000 AND provider = OLD.provider AND model = OLD.model;
END;
`,
	},
	{
		version: 4,
		name: 'accounts: credentials, their state, official quota windows, per-account rollups',
		sql: `
-- Every credential (CPA's auth_index) seen in records, /auth-files or the config API-key
-- lists. label never holds an API key: /auth-files' "account" and "path" are not read, and a
-- record's source is only used masked. The cooldown columns each hold what one source said:
-- next_retry_after (/auth-files), header_cooldown_until (a 429's headers), error_* (the RESP
-- errors channel); the state shown is derived from all of them at read time.
CREATE TABLE accounts (
	auth_index TEXT PRIMARY KEY,
	label TEXT,
	label_source TEXT,
	provider TEXT,
	plan TEXT,
	account_type TEXT,
	cpa_status TEXT,
	status_message TEXT,
	disabled INTEGER NOT NULL DEFAULT 0,
	unavailable INTEGER NOT NULL DEFAULT 0,
	next_retry_after INTEGER,
	listed_at INTEGER,
	first_request_at INTEGER,
	last_request_at INTEGER,
	header_cooldown_until INTEGER,
	error_cooldown_until INTEGER,
	error_reason TEXT,
	error_status_code INTEGER,
	error_at INTEGER,
	updated_at INTEGER NOT NULL
) WITHOUT ROWID;

-- Per-model cooldowns from the errors channel (a 429 on one model).
CREATE TABLE account_model_states (
	auth_index TEXT NOT NULL,
	model TEXT NOT NULL,
	status TEXT,
	reason TEXT,
	exceeded INTEGER NOT NULL DEFAULT 0,
	until INTEGER,
	status_code INTEGER,
	observed_at INTEGER NOT NULL,
	PRIMARY KEY (auth_index, model)
) WITHOUT ROWID;

-- The provider's own windows, the latest observation per (account, window). anchor_* is an
-- earlier observation in the same window period, for the burn rate behind the projection.
CREATE TABLE quota_windows (
	auth_index TEXT NOT NULL,
	window_id TEXT NOT NULL,
	label TEXT NOT NULL,
	used_percent REAL NOT NULL,
	resets_at INTEGER,
	window_minutes INTEGER,
	status TEXT,
	source TEXT NOT NULL,
	observed_at INTEGER NOT NULL,
	anchor_percent REAL,
	anchor_at INTEGER,
	PRIMARY KEY (auth_index, window_id)
) WITHOUT ROWID;

-- api-call polling per account: when it may next be asked, and how the last calls went.
CREATE TABLE quota_polls (
	auth_index TEXT PRIMARY KEY,
	last_attempt_at INTEGER,
	last_success_at INTEGER,
	failures INTEGER NOT NULL DEFAULT 0,
	next_allowed_at INTEGER,
	last_error TEXT
) WITHOUT ROWID;

-- Requests per UTC hour and credential, written with the requests; per UTC day by triggers,
-- as daily_model_stats is. rate_limited counts 429s, failed the other failures.
CREATE TABLE account_hourly_stats (
	hour_start INTEGER NOT NULL,
	auth_index TEXT NOT NULL,
	requests INTEGER NOT NULL DEFAULT 0,
	failed INTEGER NOT NULL DEFAULT 0,
	rate_limited INTEGER NOT NULL DEFAULT 0,
	total_tokens INTEGER NOT NULL DEFAULT 0,
	cost_usd REAL NOT NULL DEFAULT 0,
	estimated_requests INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (hour_start, auth_index)
) WITHOUT ROWID;
CREATE TABLE account_daily_stats (
	day_start INTEGER NOT NULL,
	auth_index TEXT NOT NULL,
	requests INTEGER NOT NULL DEFAULT 0,
	failed INTEGER NOT NULL DEFAULT 0,
	rate_limited INTEGER NOT NULL DEFAULT 0,
	total_tokens INTEGER NOT NULL DEFAULT 0,
	cost_usd REAL NOT NULL DEFAULT 0,
	estimated_requests INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (day_start, auth_index)
) WITHOUT ROWID;
CREATE TRIGGER account_hourly_day_insert AFTER INSERT ON account_hourly_stats BEGIN
	INSERT INTO account_daily_stats (day_start, auth_index, requests, failed, rate_limited, total_tokens, cost_usd, estimated_requests)
	VALUES (NEW.hour_start - NEW.hour_start % 86400000, NEW.auth_index, NEW.requests, NEW.failed, NEW.rate_limited, NEW.total_tokens, NEW.cost_usd, NEW.estimated_requests)
	ON CONFLICT (day_start, auth_index) DO UPDATE SET requests = requests + excluded.requests, failed = failed + excluded.failed, rate_limited = rate_limited + excluded.rate_limited, total_tokens = total_tokens + excluded.total_tokens, cost_usd = cost_usd + excluded.cost_usd, estimated_requests = estimated_requests + excluded.estimated_requests;
END;
CREATE TRIGGER account_hourly_day_update AFTER UPDATE ON account_hourly_stats BEGIN
	UPDATE account_daily_stats SET requests = requests - OLD.requests, failed = failed - OLD.failed, rate_limited = rate_limited - OLD.rate_limited, total_tokens = total_tokens - OLD.total_tokens, cost_usd = cost_usd - OLD.cost_usd, estimated_requests = estimated_requests - OLD.estimated_requests
	WHERE day_start = OLD.hour_start - OLD.hour_start % 86400000 AND auth_index = OLD.auth_index;
	INSERT INTO account_daily_stats (day_start, auth_index, requests, failed, rate_limited, total_tokens, cost_usd, estimated_requests)
	VALUES (NEW.hour_start - NEW.hour_start % 86400000, NEW.auth_index, NEW.requests, NEW.failed, NEW.rate_limited, NEW.total_tokens, NEW.cost_usd, NEW.estimated_requests)
	ON CONFLICT (day_start, auth_index) DO UPDATE SET requests = requests + excluded.requests, failed = failed + excluded.failed, rate_limited = rate_limited + excluded.rate_limited, total_tokens = total_tokens + excluded.total_tokens, cost_usd = cost_usd + excluded.cost_usd, estimated_requests = estimated_requests + excluded.estimated_requests;
END;
CREATE TRIGGER account_hourly_day_delete AFTER DELETE ON account_hourly_stats BEGIN
	UPDATE account_daily_stats SET requests = requests - OLD.requests, failed = failed - OLD.failed, rate_limited = rate_limited - OLD.rate_limited, total_tokens = total_tokens - OLD.total_tokens, cost_usd = cost_usd - OLD.cost_usd, estimated_requests = estimated_requests - OLD.estimated_requests
	WHERE day_start = OLD.hour_start - OLD.hour_start % 86400000 AND auth_index = OLD.auth_index;
END;

-- Existing history: accounts and their rollups from the stored requests.
INSERT INTO account_hourly_stats (hour_start, auth_index, requests, failed, rate_limited, total_tokens, cost_usd, estimated_requests)
SELECT r.ts - r.ts % 3600000, d.auth_index, count(*), sum(r.failed AND coalesce(r.status_code, 0) <> 429), sum(r.failed AND r.status_code = 429),
	sum(r.total_tokens), coalesce(sum(r.cost_usd), 0), sum(r.cost_estimated)
FROM requests r JOIN request_dims d ON d.id = r.dim_id WHERE d.auth_index IS NOT NULL AND d.auth_index <> '' GROUP BY 1, 2;
INSERT INTO accounts (auth_index, provider, first_request_at, last_request_at, updated_at)
SELECT d.auth_index, max(d.provider), min(r.ts), max(r.ts), max(r.ts)
FROM requests r JOIN request_dims d ON d.id = r.dim_id WHERE d.auth_index IS NOT NULL AND d.auth_index <> '' GROUP BY d.auth_index;
`,
	},
	{
		version: 6,
		name: 'rollups per series in 5-minute, hourly and daily UTC buckets, read in any zone',
		sql: ROLLUPS_SQL,
		run: migrateRollups,
	},
	{
		version: 7,
		name: 'budget alerts: which threshold fired in which window, and its delivery',
		sql: `
-- One row per (watched thing, threshold) that fired. subject is a limit and its window start
-- ("limit:3:1764633600000", rolling: "limit:3:rolling:<reset anchor>") or an account's official
-- window ("quota:<auth_index>:5h"); window_end (UTC ms) is when the firing stops holding, so the
-- threshold fires again in the next window. delivery: none (no webhook), pending, sent, failed;
-- body is the webhook's JSON, kept while pending so a restart sends it once more.
CREATE TABLE alert_state (
	subject TEXT NOT NULL,
	threshold REAL NOT NULL,
	window_end INTEGER NOT NULL,
	fired_at INTEGER NOT NULL,
	percent REAL NOT NULL,
	delivery TEXT NOT NULL CHECK (delivery IN ('none', 'pending', 'sent', 'failed')),
	attempts INTEGER NOT NULL DEFAULT 0,
	last_error TEXT,
	body TEXT,
	PRIMARY KEY (subject, threshold)
) WITHOUT ROWID;
`,
	},
	{
		version: 8,
		name: 'several CPAs: instance tags, legacy progress per instance',
		sql: `
-- Every CPA this database has collected from, by its configured name, and the tag its rows are
-- stored under (series.instance, the dedupe key's seed, account keys "<tag>/<auth_index>"). The
-- first one keeps tag '' so a database collected from one CPA is keyed as before; every later one
-- gets its name as its tag. Readers show '' as the name of the instance holding it.
CREATE TABLE collector_instances (
	name TEXT PRIMARY KEY,
	tag TEXT NOT NULL UNIQUE,
	added_at INTEGER NOT NULL
) WITHOUT ROWID;

-- v6 per-array progress per instance: two v6 CPAs name their arrays alike.
CREATE TABLE legacy_arrays_by_instance (
	instance TEXT NOT NULL,
	array_id TEXT NOT NULL,
	api TEXT NOT NULL,
	model TEXT NOT NULL,
	detail_count INTEGER NOT NULL,
	last_key TEXT NOT NULL,
	total_requests INTEGER NOT NULL,
	total_tokens INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	PRIMARY KEY (instance, array_id)
) WITHOUT ROWID;
INSERT INTO legacy_arrays_by_instance (instance, array_id, api, model, detail_count, last_key, total_requests, total_tokens, updated_at)
SELECT '', array_id, api, model, detail_count, last_key, total_requests, total_tokens, updated_at FROM legacy_arrays;
DROP TABLE legacy_arrays;
ALTER TABLE legacy_arrays_by_instance RENAME TO legacy_arrays;

ALTER TABLE usage_snapshots ADD COLUMN instance TEXT NOT NULL DEFAULT '';
CREATE INDEX usage_snapshots_instance ON usage_snapshots(instance, id);
`,
	},
];

export const SCHEMA_VERSION = MIGRATIONS.at(-1)!.version;
