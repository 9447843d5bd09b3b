import {execFileSync} from 'node:child_process';
import {mkdirSync, rmSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {v7Record} from '../support/fixtures.js';
import {collectorFor, count, startStandIn} from '../support/harness.js';
import {onCleanup, tempDir, testConfig} from '../support/temp.js';
import {until} from '../support/wait.js';

/** A small tmpfs where the machine lets us mount one (root in a container that allows it); else the test is skipped. */
function smallDisk(): string | null {
	const dir = join(tempDir(), 'disk');
	mkdirSync(dir);
	try {
		execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', dir], {stdio: 'ignore'});
	} catch {
		return null;
	}
	onCleanup(() => {
		execFileSync('umount', ['-l', dir], {stdio: 'ignore'});
		rmSync(dir, {recursive: true, force: true});
	});
	return dir;
}

const day = Date.parse('2026-11-23T09:00:00Z');

describe('a real full disk (tmpfs)', () => {
	it.skipIf(process.getuid?.() !== 0)('the disk fills while records flow: popping stops, what was popped is kept, and all of it lands once there is room', async ctx => {
		const disk = smallDisk();
		if (!disk) return ctx.skip();
		const cpa = await startStandIn({generation: 'v7'});
		const config = testConfig({CLIPROXY_URL: cpa.url, COLLECTOR_SOURCE: 'queue', DB_PATH: join(disk, 'collector.db')});
		const h = collectorFor(cpa, {}, {config});
		let sent = 0;
		let failedAt = -1;
		for (let round = 0; round < 60 && failedAt < 0; round++) {
			cpa.enqueue(...Array.from({length: 500}, () => v7Record({at: day + sent++ * 100, input: 100 + (sent % 900)})));
			const pass = await h.collector.trigger();
			if (!pass.ok) failedAt = round;
		}
		expect(failedAt).toBeGreaterThan(0);
		const down = h.collector.status().store!;
		expect(down).toMatchObject({up: false, code: expect.stringMatching(/^SQLITE_(FULL|IOERR)/)});
		const pops = cpa.log.filter(r => r.path.startsWith('/v0/management/usage-queue')).length;
		cpa.enqueue(...Array.from({length: 300}, () => v7Record({at: day + sent++ * 100})));
		for (let i = 0; i < 3; i++) await h.collector.trigger();
		expect(cpa.log.filter(r => r.path.startsWith('/v0/management/usage-queue')).length).toBe(pops);
		// Room again: the same filesystem grown, as after deleting something.
		execFileSync('mount', ['-o', 'remount,size=64m', disk]);
		await until(() => count(h, 'SELECT count(*) n FROM requests') === sent, 'every record stored', 20_000);
		expect(cpa.queueLength).toBe(0);
		expect(h.collector.status().store).toMatchObject({up: true, spooledRecords: 0, memoryOnly: 0});
	});
});
