import {createHash} from 'node:crypto';
import {existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {EventBus} from '../source/collector/event-bus.js';
import type {LimitInput} from '../source/core/limits/input.js';
import {readQueueRecord} from '../source/core/cpa/queue-record.js';
import type {UsageRecord} from '../source/core/cpa/usage-record.js';
import {bundledSnapshot} from '../source/pricing/bundled.js';
import {PriceBook} from '../source/pricing/price-book.js';
import {DAY_MS, HOUR_MS, localParts, zoneLabel, type Zone} from '../source/core/time/zone.js';
import {LimitsService} from '../source/limits/limits-service.js';
import {openDatabase} from '../source/store/database.js';
import {MIGRATIONS} from '../source/store/migrations.js';
import {StateStore} from '../source/store/state.js';
import {UsageWriter} from '../source/store/usage-writer.js';
import {readV7} from '../test/support/fixtures.js';
import {benchAccount} from './harness.js';

export type GenerateOptions = {
	/** Requests to write. @default 1_000_000 */
	requests?: number;
	/** Days of history ending at `endAt`. @default 35 */
	days?: number;
	/** The newest instant; benches use it as `now`. @default 2026-11-20T15:37:00Z (a Friday afternoon) */
	endAt?: number;
	/** @default Europe/Berlin */
	zone?: Zone;
	/** @default $TMPDIR/cliproxy-usage-bench */
	dir?: string;
};

export type GeneratedDb = {path: string; requests: number; days: number; endAt: number; zone: Zone; configs: number; cached: boolean};

/** Where the fixed databases end; the dashboard bench's end at the current hour. */
const DEFAULT_END = Date.parse('2026-11-20T15:37:00Z');

/** Bump when the generated content changes, so cached files are not reused. */
const GENERATOR_VERSION = 4;

/** provider, model, share of requests, typical input / output tokens. glm-4.6 has no price, so some rows are estimated. */
const MODELS: Array<[string, string, number, number, number]> = [
	['claude', 'claude-sonnet-4-5-20250929', 34, 24_000, 900],
	['claude', 'claude-opus-4-1-20250805', 7, 30_000, 1_200],
	['claude', 'claude-haiku-4-5-20251001', 10, 6_000, 400],
	['codex', 'gpt-5-codex', 20, 18_000, 1_500],
	['codex', 'gpt-5.1', 7, 9_000, 700],
	['gemini', 'gemini-2.5-pro', 10, 15_000, 800],
	['gemini', 'gemini-2.5-flash', 9, 5_000, 300],
	['openai-compatibility', 'glm-4.6', 3, 8_000, 500],
];

const CONFIGS: LimitInput[] = [
	{provider: 'Anthropic', tier_name: 'Pro', model_pattern: 'claude', strategy: 'rolling', window_minutes: 300, token_limit: 20_000_000},
	{provider: 'Anthropic', tier_name: 'Max', model_pattern: 'claude-opus-*', strategy: 'weekly', token_limit: 150_000_000, request_limit: 5_000},
	{provider: 'OpenAI', tier_name: 'Plus', model_pattern: 'gpt-5*', strategy: 'rolling', window_minutes: 300, request_limit: 400},
	{provider: 'OpenAI', tier_name: 'Plus', model_pattern: 'gpt-5*', strategy: 'weekly', cost_limit_usd: 400},
	{provider: 'Google', tier_name: 'AI Pro', model_pattern: 'gemini', strategy: 'daily', request_limit: 1_500, token_limit: 30_000_000},
	{provider: 'All', tier_name: 'budget', model_pattern: '*', strategy: 'rolling', window_minutes: 10_080, cost_limit_usd: 2_000},
];

/**
 * A realistic database of `requests` CPA requests over `days`, written through the real
 * UsageWriter (rows, rollups, daily breakdown) from v7.2.140 queue records: 8 models over 4
 * providers (one unpriced), a working-hours rhythm with quieter weekends, 2 % failures, 4 client
 * keys and 20 credentials (each of one provider, its responses carrying realistic quota
 * headers, so every account has official windows), a few legacy counter deltas in the first week, and the configs above
 * (one weekly config reset 3 hours before `endAt`). Cached under `dir` by its parameters, so only
 * the first call pays (51 s for 1,000,000 requests, 7.6 min for 10,000,000 on the bench machine).
 */
export async function generateDb(options: GenerateOptions = {}): Promise<GeneratedDb> {
	const requests = options.requests ?? 1_000_000;
	const days = options.days ?? 35;
	const endAt = options.endAt ?? DEFAULT_END;
	const zone = options.zone ?? {kind: 'iana', name: 'Europe/Berlin'};
	const dir = options.dir ?? join(tmpdir(), 'cliproxy-usage-bench');
	const name = `usage-${requests}r-${days}d-${endAt}-${zoneLabel(zone).replace(/[^\w+-]/g, '_')}-g${GENERATOR_VERSION}-${schemaHash()}.db`;
	const path = join(dir, name);
	const result = {path, requests, days, endAt, zone, configs: CONFIGS.length};
	if (existsSync(path)) return {...result, cached: true};
	mkdirSync(dir, {recursive: true});
	forgetStale(dir);
	const partial = `${path}.partial-${process.pid}`;
	for (const suffix of ['', '-wal', '-shm']) rmSync(partial + suffix, {force: true});
	const db = openDatabase(partial);
	try {
		const salt = new StateStore(db).salt();
		const writer = new UsageWriter(db, zone, salt, new PriceBook(bundledSnapshot().tables));
		const random = mulberry32(requests ^ days);
		const start = endAt - days * DAY_MS;
		const batch: UsageRecord[] = [];
		let written = 0;
		for (const [hourStart, count] of hourlyCounts(start, endAt, requests, zone)) {
			const times = Array.from({length: count}, () => hourStart + Math.floor(random() * Math.min(HOUR_MS, endAt - hourStart))).sort((a, b) => a - b);
			for (const at of times) {
				batch.push(readV7(recordSpec(at, written++, random), salt));
				if (batch.length === 1000) writer.ingest(batch.splice(0), endAt);
			}
		}
		if (batch.length > 0) writer.ingest(batch.splice(0), endAt);
		for (let i = 0; i < 40; i++) {
			const from = start + Math.floor((i / 40) * 7 * DAY_MS);
			const [, model] = MODELS[i % MODELS.length]!;
			writer.ingest([], endAt, b => writer.addCounterDeltas(b, [{arrayId: `legacy-${i}`, apiLabel: 'POST /v1/chat/completions', model, requests: 3 + (i % 7), tokens: 20_000 + i * 500}], {start: from, end: from + 5 * 60_000}, endAt));
		}
		const clock = {now: endAt - 3 * HOUR_MS};
		const limits = new LimitsService(db, zone, new EventBus(), () => clock.now);
		const ids = CONFIGS.map(c => limits.add(c).status.config.id);
		limits.reset(ids[1]!);
		clock.now = endAt;
		limits.recompute();
		limits.dispose();
	} finally {
		db.close();
	}
	renameSync(partial, path);
	return {...result, cached: false};
}

/** Requests per UTC hour: busy 09:00–19:00 local on weekdays, a trickle at night, a third on weekends. */
function hourlyCounts(start: number, end: number, total: number, zone: Zone): Array<[number, number]> {
	const hours: Array<[number, number]> = [];
	for (let h = Math.floor(start / HOUR_MS) * HOUR_MS; h < end; h += HOUR_MS) {
		const p = localParts(zone, h);
		const weekday = new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay();
		const work = p.hour >= 9 && p.hour < 19 ? 1 : p.hour >= 7 && p.hour < 23 ? 0.35 : 0.05;
		hours.push([h, work * (weekday === 0 || weekday === 6 ? 0.35 : 1) * (Math.min(end, h + HOUR_MS) - Math.max(start, h)) / HOUR_MS]);
	}
	const sum = hours.reduce((s, [, w]) => s + w, 0);
	// Cumulative rounding: every count is whole and they add up to exactly `total`.
	let cumulative = 0;
	let given = 0;
	return hours.map(([h, w]): [number, number] => {
		cumulative += w;
		const n = Math.round((cumulative / sum) * total) - given;
		given += n;
		return [h, n];
	});
}

function recordSpec(at: number, n: number, random: () => number) {
	let pick = random() * 100;
	let m = MODELS[0]!;
	for (const candidate of MODELS) {
		m = candidate;
		if ((pick -= candidate[2]) < 0) break;
	}
	const [provider, model, , input, output] = m;
	const scale = 0.2 + random() * 1.6;
	const cached = provider === 'claude' && random() < 0.7;
	return {
		at,
		provider,
		model,
		alias: model.replace(/-\d{8}$/, ''),
		endpoint: provider === 'claude' ? 'POST /v1/messages' : provider === 'gemini' ? 'POST /v1beta/models' : 'POST /v1/responses',
		apiKey: `sk-client-${n % 4}-0123456789abcdef`,
		authIndex: benchAccount(provider, n),
		// CPA's source is the credential's account (its e-mail): one per auth index.
		source: `user-${benchAccount(provider, n).slice(-2)}@example.com`,
		failed: random() < 0.02,
		input: Math.round(input * scale * (cached ? 0.2 : 1)),
		output: Math.round(output * scale),
		reasoning: provider === 'codex' ? Math.round(output * scale * 0.4) : 0,
		cacheRead: cached ? Math.round(input * scale * 0.8) : 0,
		cacheCreation: cached && random() < 0.1 ? Math.round(input * 0.1) : 0,
		latencyMs: 400 + Math.floor(random() * 9000),
	};
}

/**
 * Cached files of another schema or generator are of no use to this tree, and ones ending at
 * another hour (the dashboard bench's) are only used within it: a 10M file is over a GB. Both
 * are kept for a day, as another checkout (a branch with the next migration) may be using them:
 * removing them at once made two trees regenerate each other's 10M files in turn.
 */
function forgetStale(dir: string): void {
	const current = `-g${GENERATOR_VERSION}-${schemaHash()}.db`;
	for (const name of readdirSync(dir)) {
		const base = /^(usage-.*\.db)(?:-wal|-shm)?$/.exec(name)?.[1];
		if (!base) continue;
		const file = join(dir, name);
		const hourly = !base.includes(`-${DEFAULT_END}-`);
		const age = Date.now() - statSync(file).mtimeMs;
		if ((!base.endsWith(current) && age > DAY_MS) || (hourly && age > 2 * DAY_MS)) rmSync(file, {force: true});
	}
}

/** The schema the file was written with: a cached file from an older schema is never reused. */
function schemaHash(): string {
	return createHash('sha256').update(JSON.stringify(MIGRATIONS)).digest('hex').slice(0, 10);
}

function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}
