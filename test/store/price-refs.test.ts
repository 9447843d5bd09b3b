import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {readQueueRecord} from '../../source/core/cpa/queue-record.js';
import type {Pricer} from '../../source/core/cpa/usage-record.js';
import {openDatabase} from '../../source/store/database.js';
import {PriceRefCache} from '../../source/store/dims.js';
import {StateStore} from '../../source/store/state.js';
import {UsageWriter} from '../../source/store/usage-writer.js';
import {v7Record, readV7} from '../support/fixtures.js';
import {onCleanup, tempDir} from '../support/temp.js';

describe('price references', () => {
	it('are shared with another process that added the same reference after this one read them', () => {
		const file = join(tempDir(), 'c.db');
		const collector = openDatabase(file);
		const other = openDatabase(file);
		onCleanup(() => (collector.close(), other.close()));
		const salt = new StateStore(collector).salt();
		const pricer: Pricer = {priceRecord: () => ({costUsd: 1, estimated: false, ref: 'override@db-20261123T1015Z:glm-4.6'}), priceTokenTotal: () => null};
		const writer = new UsageWriter(collector, {kind: 'iana', name: 'UTC'}, salt, {priceRecord: () => ({costUsd: 1, estimated: false, ref: 'litellm@1:x'}), priceTokenTotal: () => null});
		const at = Date.parse('2026-11-23T10:00:00Z');
		writer.ingest([readV7({at}, salt)], at); // the collector has read the refs once
		const id = new PriceRefCache(other).idFor('override@db-20261123T1015Z:glm-4.6'); // e.g. prices reprice
		writer.setPricer(pricer);
		const result = writer.ingest([readV7({at: at + 1}, salt)], at);
		expect(result.inserted).toBe(1);
		expect(collector.prepare('SELECT price_id FROM requests ORDER BY dedupe_key DESC LIMIT 1').get()).toEqual({price_id: id});
	});
});
