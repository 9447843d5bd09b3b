// A collector stand-in for backup tests: commits batches of requests through the real
// UsageWriter as fast as it can, and prints the running total after each commit, so the test
// knows which rows were committed before a backup began. Runs until killed.
import {readQueueRecord} from '../../dist/core/cpa/queue-record.js';
import {openDatabase} from '../../dist/store/database.js';
import {StateStore} from '../../dist/store/state.js';
import {UsageWriter} from '../../dist/store/usage-writer.js';

const [file, batchArg] = process.argv.slice(2);
const batch = Number(batchArg ?? 200);
const db = openDatabase(file);
const salt = new StateStore(db).salt();
const writer = new UsageWriter(db, {kind: 'iana', name: 'UTC'}, salt);
const start = Date.parse('2026-11-01T00:00:00Z');
let committed = 0;
for (;;) {
	const records = [];
	for (let i = 0; i < batch; i++) {
		const n = committed + i;
		records.push(
			readQueueRecord(
				{
					timestamp: new Date(start + n * 1537).toISOString(),
					model: ['claude-sonnet-4-5', 'gpt-5-codex', 'gemini-2.5-pro'][n % 3],
					provider: ['claude', 'codex', 'gemini'][n % 3],
					endpoint: 'POST /v1/messages',
					source: 'user@example.com',
					auth_index: 'a1b2',
					request_id: (n % 0xffffffff).toString(16).padStart(8, '0'),
					failed: n % 29 === 0,
					tokens: {input_tokens: 1000 + (n % 500), output_tokens: 100, reasoning_tokens: 0, cached_tokens: 0, total_tokens: 1100 + (n % 500)},
				},
				salt,
			),
		);
	}
	committed += writer.ingest(records, Date.now()).inserted;
	process.stdout.write(`${committed}\n`);
	await new Promise(resolve => setImmediate(resolve));
}
