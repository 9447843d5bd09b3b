import {Text} from 'ink';
import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import {EventBus} from '../../../source/collector/event-bus.js';
import type {AlertEvent} from '../../../source/core/alerts/alert-message.js';
import {useAlertBell} from '../../../source/ui/hooks/use-alert-bell.js';

function Bell({bus, enabled}: {bus: EventBus; enabled: boolean}) {
	useAlertBell(bus, enabled);
	return <Text>dashboard</Text>;
}

const alert = (at: number): AlertEvent => ({at, kind: 'limit', threshold: 80, percentUsed: 81, name: 'limit #1', detail: '', resetsAt: null, instance: null, limit: null, quota: null, text: 'x'});
const tick = () => new Promise(resolve => setTimeout(resolve, 20));

describe('the dashboard bell', () => {
	it('rings once per burst of alerts, and not at all with ALERT_BELL off', async () => {
		const bus = new EventBus();
		const on = render(<Bell bus={bus} enabled />);
		await tick();
		bus.emit('alert', alert(1000), 1000);
		bus.emit('alert', alert(1001), 1001);
		bus.emit('alert', alert(5000), 5000);
		await tick();
		expect(on.frames.filter(f => f === '\u0007')).toHaveLength(2);
		on.unmount();
		const off = render(<Bell bus={bus} enabled={false} />);
		await tick();
		bus.emit('alert', alert(9000), 9000);
		await tick();
		expect(off.frames.filter(f => f.includes('\u0007'))).toHaveLength(0);
		expect(off.lastFrame()).toBe('dashboard');
	});
});
