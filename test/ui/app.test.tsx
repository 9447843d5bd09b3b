import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import {App} from '../../source/ui/app.js';
import {storeWindows} from '../../source/store/quota-windows.js';
import {v7Record} from '../support/fixtures.js';
import {collectorFor, startStandIn, type Harness} from '../support/harness.js';
import {waitFor} from '../support/headless-process.js';
import {localDataSource} from '../../source/app/data-source.js';

const sources = (h: Harness) => ({data: localDataSource({db: h.db, zone: h.config.zone, collector: h.collector, limits: h.limits}), zone: h.config.zone, bus: h.bus, now: h.now});
const frame = (f: () => string | undefined) => f() ?? '';

describe('App', () => {
	it('opens from the stored history, then follows new records through the collector events', async () => {
		const cpa = await startStandIn({generation: 'v7'});
		const h = collectorFor(cpa);
		cpa.enqueue(v7Record({at: Date.now() - 5000, model: 'gpt-5-codex', provider: 'codex'}), v7Record({at: Date.now() - 4000, model: 'gemini-2.5-pro', provider: 'gemini'}));
		await h.collector.trigger();
		const {lastFrame} = render(<App sources={sources(h)} server={{url: 'http://127.0.0.1:5001'}} compact={false} size={{columns: 100, rows: 30}} />);
		expect(frame(lastFrame)).toContain('2 requests · 100% ok');
		expect(frame(lastFrame)).toContain('gpt-5-codex');
		cpa.enqueue(v7Record({at: Date.now() - 1000, model: 'claude-opus-4-1', provider: 'claude', failed: true}));
		await h.collector.trigger();
		await waitFor(() => frame(lastFrame).includes('3 requests · 67% ok'), 3000, 'the frame to show the new request');
		expect(frame(lastFrame)).toContain('claude-opus-4-1');
		expect(frame(lastFrame)).toContain('● ok · CPA 7.2.140 · RESP live');
	});

	it('p cycles the period, s the sort, ? opens help and Esc closes it, r collects now', async () => {
		const cpa = await startStandIn({generation: 'v7'});
		const h = collectorFor(cpa);
		await h.collector.trigger();
		const {lastFrame, stdin} = render(<App sources={sources(h)} server={null} compact={false} size={{columns: 100, rows: 30}} />);
		const press = async (key: string, expected: string) => {
			stdin.write(key);
			await waitFor(() => frame(lastFrame).includes(expected), 3000, `"${expected}" after ${JSON.stringify(key)}`);
		};
		await press('p', 'Models · yesterday · by cost');
		await press('p', 'Models · last 7 days · by cost');
		await press('s', 'Models · last 7 days · by requests');
		await press('s', 'by tokens');
		await press('?', 'q, Ctrl-C');
		await press('\u001B', 'Models · last 7 days · by tokens');
		const polls = h.collector.status().pollCount;
		stdin.write('r');
		await waitFor(() => h.collector.status().pollCount === polls + 1, 3000, 'r to run a pass');
	});

	it('shows the collector\'s failure in plain words with the fix; r then says why it cannot collect', async () => {
		const cpa = await startStandIn({generation: 'v7', managementKey: 'right'});
		const h = collectorFor(cpa, {CLIPROXY_MANAGEMENT_KEY: 'wrong-key-123'});
		const {lastFrame, stdin} = render(<App sources={sources(h)} server={null} compact={false} size={{columns: 80, rows: 24}} />);
		await h.collector.trigger();
		await waitFor(() => frame(lastFrame).includes('● stopped'), 3000, 'the stopped status');
		const text = frame(lastFrame).replace(/\s*\n\s*/g, ' ');
		expect(text).toContain('● stopped · CPA 7.2.140');
		expect(text).toContain('✖ Collection stopped: CPA rejected the management key ("invalid management key"). Set CLIPROXY_MANAGEMENT_KEY');
		expect(frame(lastFrame)).not.toContain('wrong-key-123');

		// r cannot run a pass now: it says so, and why, instead of doing nothing.
		const polls = h.collector.status().pollCount;
		stdin.write('r');
		await waitFor(() => frame(lastFrame).replace(/\s*\n\s*/g, ' ').includes('▲ r does nothing while collection is stopped: fix the error above, then restart'), 3000, 'the answer to r');
		expect(h.collector.status().pollCount).toBe(polls);
	});

	it('draws a gauge per limit and moves it when the limits service recomputes after a pass', async () => {
		const cpa = await startStandIn({generation: 'v7'});
		const h = collectorFor(cpa);
		h.limits.add({provider: 'Anthropic', tier_name: 'Pro', model_pattern: 'claude', strategy: 'rolling', window_minutes: 300, token_limit: 10_000});
		cpa.enqueue(v7Record({at: Date.now() - 2000, model: 'claude-sonnet-4-5', input: 4000, output: 1000}));
		await h.collector.trigger();
		const {lastFrame} = render(<App sources={sources(h)} server={null} compact size={{columns: 40, rows: 20}} />);
		expect(frame(lastFrame)).toMatch(/Anthropic Pro 5h\s+█+░+\s+50%/);
		cpa.enqueue(v7Record({at: Date.now() - 1000, model: 'claude-sonnet-4-5', input: 3500, output: 1000}));
		await h.collector.trigger();
		await waitFor(() => /Anthropic Pro 5h\s+█+░*\s+95%/.test(frame(lastFrame)), 3000, 'the gauge to move');
	});

	it('gathers a burst of quota polls into few re-reads of the accounts, and still shows the last', async () => {
		const cpa = await startStandIn({generation: 'v7'});
		const h = collectorFor(cpa);
		const now = Date.now();
		const reset = String(Math.floor(now / 1000) + 2 * 3600);
		const headers = {'Anthropic-Ratelimit-Unified-5h-Status': ['allowed'], 'Anthropic-Ratelimit-Unified-5h-Reset': [reset], 'Anthropic-Ratelimit-Unified-5h-Utilization': ['0.30']};
		cpa.enqueue(v7Record({at: now - 2000, provider: 'claude', authIndex: 'a1a1a1a1a1a1a1a1', source: 'alice@example.com', headers}));
		await h.collector.trigger();
		const {lastFrame, frames} = render(<App sources={sources(h)} server={null} compact={false} size={{columns: 120, rows: 35}} />);
		await waitFor(() => /5h\s+█+░+\s+30%/.test(frame(lastFrame)), 3000, 'the official 5h window');
		const before = frames.length;
		// Twenty accounts' polls, one every 100 ms, as the quota poller answers them (here one account, moving).
		for (let i = 1; i <= 20; i++) {
			storeWindows(h.db, 'a1a1a1a1a1a1a1a1', [{id: '5h', label: '5h', usedPercent: 30 + i, resetsAt: Number(reset) * 1000, windowMinutes: 300, status: 'allowed', observedAt: Date.now(), source: 'api'}]);
			h.bus.emit('quotas', {at: Date.now(), accounts: ['a1a1a1a1a1a1a1a1'], source: 'api'});
			await new Promise(r => setTimeout(r, 100));
		}
		await waitFor(() => /5h\s+█+░+\s+50%/.test(frame(lastFrame)), 3000, 'the last poll on screen');
		// Gathered per second: 2 s of polls are a few renders, not one per 250 ms.
		expect(frames.length - before).toBeLessThanOrEqual(4);
	});
});
