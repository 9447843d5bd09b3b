import {existsSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {readQueueRecord} from '../../source/core/cpa/queue-record.js';
import {PriceBook} from '../../source/pricing/price-book.js';
import {bundledSnapshot} from '../../source/pricing/bundled.js';
import {openDatabase} from '../../source/store/database.js';
import {StateStore} from '../../source/store/state.js';
import {UsageWriter} from '../../source/store/usage-writer.js';
import {v7Record, readV7} from '../support/fixtures.js';
import {PriceFeeds} from '../support/price-feeds.js';
import {runCli} from '../support/spawn-cli.js';
import {onCleanup, tempDir} from '../support/temp.js';

const day = Date.parse('2026-11-20T12:00:00Z');

/** A database with a day of requests priced by the bundled snapshot: 10 Claude, 4 of an unknown model. */
function storedHistory(): {dir: string; env: {DB_PATH: string; TIMEZONE: string}} {
	const dir = tempDir();
	const dbPath = join(dir, 'c.db');
	const db = openDatabase(dbPath);
	const salt = new StateStore(db).salt();
	const writer = new UsageWriter(db, {kind: 'iana', name: 'UTC'}, salt, new PriceBook(bundledSnapshot().tables));
	const records = [];
	for (let i = 0; i < 14; i++) {
		const unknown = i >= 10;
		records.push(readV7({at: day + i * 60_000, model: unknown ? 'glm-99' : 'claude-sonnet-4-5-20250929', provider: unknown ? 'openai-compatibility' : 'claude', input: 100_000, output: 0}, salt));
	}
	writer.ingest(records, day);
	db.close();
	return {dir, env: {DB_PATH: dbPath, TIMEZONE: 'UTC'}};
}

const cost = (dbPath: string) => {
	const db = openDatabase(dbPath);
	try {
		return db.prepare('SELECT sum(cost_usd) c, sum(cost_estimated) e, (SELECT round(sum(cost), 6) FROM usage_1d) d FROM requests').get() as {c: number; e: number; d: number};
	} finally {
		db.close();
	}
};

describe('cliproxy-usage prices', () => {
	it('show MODEL explains the match, the prices and the formula, without creating a database', async () => {
		const dir = tempDir();
		const env = {DB_PATH: join(dir, 'none.db')};
		const text = await runCli(['prices', 'show', 'claude-sonnet-4-5-20250929'], env, dir);
		expect(text.code).toBe(0);
		expect(text.stdout).toContain('matched   litellm@bundled-2026-07-24:claude-sonnet-4-5-20250929 (exact id)');
		expect(text.stdout).toContain('input $3, output $15, cache read $0.30, cache write $3.75');
		expect(text.stdout).toContain('above 200,000 prompt tokens (the whole request): input $6, output $22.50');
		expect(text.stdout).toContain('cost = (input × 3 + cache_read × 0.30 + cache_creation × 3.75 + output × 15) / 1,000,000');
		const gemini = await runCli(['prices', 'show', 'claude-sonnet-4-5', '--provider', 'antigravity'], env, dir);
		expect(gemini.stdout).toContain('cost = ((input − cached) × 3 + cached × 0.30 + (output + reasoning) × 15) / 1,000,000');
		expect(text.stdout).toContain('tiers     priority: no priority prices in the source: billed at the standard prices (litellm@bundled-2026-07-24:claude-sonnet-4-5-20250929#priority=standard)');
		const gpt5 = await runCli(['prices', 'show', 'gpt-5'], env, dir);
		expect(gpt5.stdout).toContain('tiers     priority: input $2.50, output $20, cache read $0.25, cache write $2.50 (litellm@bundled-2026-07-24:gpt-5#priority)');
		expect(gpt5.stdout).toContain('          flex: input $0.625, output $5, cache read $0.0625, cache write $0.625 (litellm@bundled-2026-07-24:gpt-5#flex)');
		const gpt5Json = JSON.parse((await runCli(['prices', 'show', 'gpt-5', '--json'], env, dir)).stdout);
		expect(gpt5Json.service_tiers.priority.base).toEqual({input: 2.5, output: 20, cacheRead: 0.25, cacheWrite: 2.5});
		expect(gpt5Json.price.serviceTiers.flex).toEqual({input: 0.625, output: 5, cacheRead: 0.0625});
		const json = JSON.parse((await runCli(['prices', 'show', 'glm-99', '--json'], env, dir)).stdout);
		expect(json).toMatchObject({model: 'glm-99', match: {how: 'default', ref: 'default@bundled:_default', estimated: true}, price: {input: 0.15, output: 0.6}, family: 'openai'});
		expect(existsSync(env.DB_PATH)).toBe(false);
	});

	it('lists the sources and the models seen, flagging the estimated ones', async () => {
		const {dir, env} = storedHistory();
		const result = await runCli(['prices'], env, dir);
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(/LiteLLM\s+bundled-2026-07-24\s+\d+ models/);
		expect(result.stdout).toMatch(/claude\s+claude-sonnet-4-5-20250929\s+10\s+0\s+litellm@bundled-2026-07-24:claude-sonnet-4-5-20250929\s+\$3\s+\$15\s+\$0\.30\s+\$3\.75/);
		expect(result.stdout).toMatch(/openai-compatibility\s+glm-99\s+4\s+4\s+ESTIMATED \(default@bundled:_default\)/);
		expect(result.stdout).toContain('4 requests at estimated prices stored, for these reasons:\n  default-price: no price source knows the model: priced at _default\n');
		expect(result.stdout).toContain('No known price for glm-99: set one with cliproxy-usage prices set MODEL --input USD --output USD');
	});

	it('set, reprice and unset: history changes only on purpose, in one step', async () => {
		const {dir, env} = storedHistory();
		// 10 × 100,000 × $3 + 4 × 100,000 × $0.15 = $3.06
		expect(cost(env.DB_PATH)).toMatchObject({e: 4});
		expect(cost(env.DB_PATH).c).toBeCloseTo(3.06, 9);

		const set = await runCli(['prices', 'set', 'glm-99', '--input', '0.6', '--output', '2.2'], env, dir);
		expect(set.code).toBe(0);
		expect(set.stdout).toContain('glm-99: input $0.60, output $2.20, cache read $0.60, cache write $0.60 per 1M tokens (override@db-');
		expect(cost(env.DB_PATH).c).toBeCloseTo(3.06, 9); // stored history is not rewritten by a price change

		const dry = await runCli(['prices', 'reprice', '--since', '2026-11-20', '--until', '2026-11-20', '--dry-run'], env, dir);
		expect(dry.stdout).toContain('Would re-price 14 requests from 2026-11-20 to 2026-11-20 (UTC), 4 of them changed.');
		expect(dry.stdout).toContain('Cost $3.06 → $3.24; requests with estimated costs 4 → 0.');
		expect(cost(env.DB_PATH).c).toBeCloseTo(3.06, 9);

		const done = await runCli(['prices', 'reprice', '--since', '2026-11-20', '--until', '2026-11-20'], env, dir);
		expect(done.code).toBe(0);
		expect(done.stdout).toContain('Updated the totals of 1 day (2026-11-20 to 2026-11-20).');
		// 10 × $0.30 + 4 × 100,000 × $0.60 = $3.24, and the daily total follows
		expect(cost(env.DB_PATH)).toMatchObject({e: 0});
		expect(cost(env.DB_PATH).c).toBeCloseTo(3.24, 9);
		expect(cost(env.DB_PATH).d).toBeCloseTo(3.24, 6);

		const unset = await runCli(['prices', 'unset', 'glm-99'], env, dir);
		expect(unset.stdout).toBe('glm-99: your price is removed; it now prices as default@bundled:_default.\n');
	});

	it('update fetches both sources, says what changed, and fails plainly when offline', async () => {
		const feeds = await new PriceFeeds().start();
		onCleanup(() => feeds.close());
		const dir = tempDir();
		const env = {DB_PATH: join(dir, 'c.db'), ...feeds.urls};
		const result = await runCli(['prices', 'update'], env, dir);
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(/^LiteLLM: \d{4}-\d{2}-\d{2}, 15 models \(was bundled-2026-07-24\): \d+ added, 2 changed, \d+ gone$/m);
		expect(result.stdout).toContain('  claude-sonnet-4-5: input $3 → $2.50\n');
		expect(result.stdout).toMatch(/^llm-prices.com: 2026-11-21, 13 models \(was bundled-2026-08-05\)/m);
		expect((await runCli(['prices', 'show', 'claude-sonnet-4-5'], env, dir)).stdout).toMatch(/matched {3}litellm@\d{4}-\d{2}-\d{2}:claude-sonnet-4-5 /);

		await feeds.close();
		const offline = await runCli(['prices', 'update'], env, dir);
		expect(offline.code).toBe(1);
		expect(offline.stdout).toMatch(/^LiteLLM: not updated \(cannot fetch .*\); still using \d{4}-\d{2}-\d{2}$/m);
		expect(offline.stderr).toBe('cliproxy-usage: no price source could be fetched; prices stay as they were (cached or bundled), and everything still prices offline.\n');
		expect((await runCli(['prices', 'show', 'gpt-9'], env, dir)).stdout).toMatch(/matched {3}litellm@\d{4}-\d{2}-\d{2}:gpt-9 /);
	});

	it.each([
		[['prices', 'frob'], 'cliproxy-usage: prices: unknown subcommand "frob"'],
		[['prices', 'show', 'x', '--input', '3'], 'cliproxy-usage: prices show does not take --input'],
		[['prices', 'set', 'x', '--input', 'abc', '--output', '1'], 'cliproxy-usage: --input must be USD per million tokens, 0 or more, such as 0.6 (got "abc")'],
		[['prices', 'set', 'x', '--input', '1'], 'cliproxy-usage: prices set needs both --input and --output'],
		[['prices', 'reprice'], 'cliproxy-usage: prices reprice needs --since YYYY-MM-DD'],
		[['prices', 'reprice', '--since', '2026-02-30'], 'cliproxy-usage: --since must be a date as YYYY-MM-DD (got "2026-02-30")'],
		[['prices', 'reprice', '--since', '2026-11-20', '--until', '2026-11-19'], 'cliproxy-usage: --until (2026-11-19) is before --since (2026-11-20)'],
	])('exits 2 with one line on bad usage: %j', async (args, message) => {
		const dir = tempDir();
		const result = await runCli(args, {DB_PATH: join(dir, 'c.db'), TIMEZONE: 'UTC'}, dir);
		expect(result.code).toBe(2);
		expect(result.stderr.startsWith(message)).toBe(true);
		expect(result.stderr.trim().split('\n')).toHaveLength(1);
	});

	it('exits 2 naming the field when PRICES_FILE is wrong', async () => {
		const dir = tempDir();
		writeFileSync(join(dir, 'prices.json'), JSON.stringify({models: {'glm-4.6': {input: 0.6, output: 2.2, cached: 0.1}}}));
		const result = await runCli(['prices', 'show', 'glm-4.6'], {DB_PATH: join(dir, 'c.db'), PRICES_FILE: join(dir, 'prices.json')}, dir);
		expect(result.code).toBe(2);
		expect(result.stderr).toBe(
			`cliproxy-usage: PRICES_FILE ${join(dir, 'prices.json')}: models["glm-4.6"].cached unknown field; use input, output, cache_read, cache_write. Prices are USD per million tokens, e.g. {"models": {"glm-4.6": {"input": 0.6, "output": 2.2}}}.\n`,
		);
	});
});
