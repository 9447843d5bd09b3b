import {join} from 'node:path';
import {readQueueRecord} from '../../source/core/cpa/queue-record.js';
import type {Pricer} from '../../source/core/cpa/usage-record.js';
import {EventBus} from '../../source/collector/event-bus.js';
import {LimitsService} from '../../source/limits/limits-service.js';
import {openDatabase} from '../../source/store/database.js';
import {StateStore} from '../../source/store/state.js';
import {UsageWriter} from '../../source/store/usage-writer.js';
import {v7Record} from './fixtures.js';
import {cliCommand} from './spawn-cli.js';
import {tempDir} from './temp.js';
import {TmuxPane} from './tmux.js';

const MODELS: Array<[string, string]> = [
	['claude-sonnet-4-5', 'claude'],
	['gpt-5-codex', 'codex'],
	['gemini-2.5-pro', 'gemini'],
	['claude-opus-4-1', 'claude'],
	['gpt-5', 'codex'],
	['gemini-2.5-flash', 'gemini'],
];

/**
 * A database with 60 requests over six models and three limits, written the way the
 * collector writes it: enough for every panel of the dashboard to have rows to show. The
 * requests are `spacingMs` apart, the newest a minute ago; a test that compares frames taken
 * minutes apart packs them closer, so none leaves the latency panel's last hour meanwhile.
 */
export function seedDashboardDb(dbPath: string, now = Date.now(), spacingMs = 97_000): void {
	const db = openDatabase(dbPath);
	const salt = new StateStore(db).salt();
	const pricer: Pricer = {priceRecord: r => ({costUsd: (r.tokens.input * 3 + r.tokens.output * 15) / 1e6, estimated: false, ref: 'test@1:flat'}), priceTokenTotal: () => null};
	const writer = new UsageWriter(db, {kind: 'iana', name: 'UTC'}, salt, pricer);
	const records = Array.from({length: 60}, (_, i) => {
		const [model, provider] = MODELS[i % MODELS.length]!;
		return readQueueRecord(v7Record({at: now - 60_000 - i * spacingMs, model, provider, input: 10_000 + i * 1000, output: 2000 + i * 10}), salt, now);
	});
	writer.ingest(records, now);
	const limits = new LimitsService(db, {kind: 'iana', name: 'UTC'}, new EventBus(), () => now);
	limits.add({provider: 'Anthropic', tier_name: 'Pro', model_pattern: 'claude', strategy: 'rolling', window_minutes: 300, token_limit: 1_500_000});
	limits.add({provider: 'OpenAI', tier_name: 'Plus', model_pattern: 'gpt-5*', strategy: 'weekly', request_limit: 500});
	limits.add({provider: 'Google', tier_name: 'AI Pro', model_pattern: 'gemini', strategy: 'daily', request_limit: 1000});
	limits.dispose();
	db.close();
}

/** The built dashboard in a tmux pane of that size; `EXIT=<code>` appears in the pane when it ends. */
export function dashboardPane(columns: number, rows: number, env: Record<string, string>, dir = tempDir()): TmuxPane {
	const command = cliCommand([]).map(a => `'${a}'`).join(' ');
	return TmuxPane.start(columns, rows, `cd '${dir}' && ${command}; echo EXIT=$?; sleep 60`, {TERM: 'xterm-256color', ...env});
}

export function dashboardDb(spacingMs?: number): {dir: string; dbPath: string} {
	const dir = tempDir();
	const dbPath = join(dir, 'collector.db');
	seedDashboardDb(dbPath, Date.now(), spacingMs);
	return {dir, dbPath};
}
