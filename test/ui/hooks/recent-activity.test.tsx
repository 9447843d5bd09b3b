import {join} from 'node:path';
import {Text} from 'ink';
import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import {type DashboardDataSource} from '../../../source/app/data-source.js';
import {readRecentActivity} from '../../../source/app/recent-activity.js';
import {EventBus} from '../../../source/collector/event-bus.js';
import {openDatabase} from '../../../source/store/database.js';
import {StateStore} from '../../../source/store/state.js';
import {UsageWriter} from '../../../source/store/usage-writer.js';
import {useRecentActivity} from '../../../source/ui/hooks/use-recent-activity.js';
import {readV7} from '../../support/fixtures.js';
import {waitFor} from '../../support/headless-process.js';
import {onCleanup, tempDir} from '../../support/temp.js';

const zone = {kind: 'iana', name: 'UTC'} as const;

function Tail({sources, enabled}: {sources: {data: DashboardDataSource; bus: EventBus; now: () => number}; enabled: boolean}) {
	const a = useRecentActivity(sources, enabled, sources.now(), 20);
	return <Text>{a === null ? 'none' : a === 'unavailable' ? 'unavailable' : a.tail.map(r => r.model).join(',') || 'empty'}</Text>;
}

/** Only what the hook reads of a data source: the local read of the tail, or none (a remote). */
const source = (recentActivity?: DashboardDataSource['recentActivity']) => ({recentActivity}) as unknown as DashboardDataSource;

describe('useRecentActivity', () => {
	it('reads after the first frame, again after new records, and nothing while off', async () => {
		const db = openDatabase(join(tempDir(), 'c.db'));
		onCleanup(() => db.close());
		const salt = new StateStore(db).salt();
		const writer = new UsageWriter(db, zone, salt);
		const bus = new EventBus();
		const sources = {data: source(now => readRecentActivity(db, zone, now)), bus, now: () => Date.now()};
		writer.ingest([readV7({at: Date.now() - 5000, model: 'gpt-5-codex'}, salt)], Date.now());

		const on = render(<Tail sources={sources} enabled />);
		expect(on.frames[0]).toBe('none');
		await waitFor(() => on.lastFrame() === 'gpt-5-codex', 2000, 'the first read');
		writer.ingest([readV7({at: Date.now() - 1000, model: 'claude-sonnet-4-5'}, salt)], Date.now());
		bus.emit('usage_delta', {at: Date.now(), backend: 'queue', inserted: 1, duplicates: 0, requests: 1, failed: 0, tokens: 1200} as never, Date.now());
		await waitFor(() => on.lastFrame() === 'claude-sonnet-4-5,gpt-5-codex', 2000, 'the read after usage_delta');

		on.rerender(<Tail sources={sources} enabled={false} />);
		await waitFor(() => on.lastFrame() === 'none', 2000, 'dropped when off');
		on.unmount();
	});

	it('says the tail cannot be read where the source has none (a remote), and reads nothing', () => {
		const r = render(<Tail sources={{data: source(), bus: new EventBus(), now: () => Date.now()}} enabled />);
		expect(r.lastFrame()).toBe('unavailable');
		r.unmount();
	});
});
