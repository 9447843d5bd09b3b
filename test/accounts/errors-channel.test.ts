import {describe, expect, it} from 'vitest';
import {startLive} from '../../source/app/services.js';
import {collectorFor, startStandIn} from '../support/harness.js';
import {until} from '../support/wait.js';

const now = Date.parse('2026-08-22T06:00:00Z');
const ALICE = '3f9a1c2b7d4e5f60';

/** The reference's constructed event (quota-sources.md §3.4), times moved to this test's day. */
function errorEvent(over: Record<string, unknown> = {}) {
	return {
		timestamp: '2026-08-22T14:03:11.123456789+08:00',
		provider: 'claude',
		model: 'claude-opus-4-7',
		auth_id: 'claude-alice@example.com.json',
		auth_index: ALICE,
		status_code: 429,
		body: '{"type":"error","error":{"type":"rate_limit_error","message":"SECRET UPSTREAM TEXT"}}',
		auth_status: {
			status: 'error',
			status_message: '...',
			disabled: false,
			unavailable: false,
			quota: {exceeded: true, reason: 'quota', next_recover_at: '2026-08-22T17:00:17+08:00'},
			model: {name: 'claude-opus-4-7', status: 'error', status_message: '...', unavailable: true, next_retry_after: '2026-08-22T17:00:17+08:00', quota: {exceeded: true, reason: 'quota', next_recover_at: '2026-08-22T17:00:17+08:00'}},
		},
		...over,
	};
}

async function subscribed(version?: string) {
	const cpa = await startStandIn({generation: 'v7', ...(version ? {version} : {})});
	const h = collectorFor(cpa, {PRICES_AUTO_UPDATE: 'false', QUOTA_POLL_MINUTES: '0'}, {now: () => now});
	startLive(h);
	return {cpa, h};
}

describe("CPA's RESP errors channel", () => {
	it('is subscribed on its own connection once usage arrives over RESP, and turns events into account state', async () => {
		const {cpa, h} = await subscribed();
		await until(() => cpa.errorSubscriberCount === 1 && cpa.subscriberCount === 1, 'both subscriptions');
		// CPA counts the subscriber when SUBSCRIBE arrives; the channel is subscribed once CPA's reply does.
		await until(() => h.errorsChannel.state === 'subscribed', 'the channel to take the reply');
		cpa.publishError(errorEvent());
		await until(() => h.errorsChannel.events === 1, 'the event');
		const a = h.accounts.list('today').find(x => x.authIndex === ALICE)!;
		expect(a).toMatchObject({provider: 'claude', state: 'cooling_down', cooldownUntil: Date.parse('2026-08-22T09:00:17Z'), reason: 'quota'});
		expect(a.modelCooldowns).toEqual([{model: 'claude-opus-4-7', until: Date.parse('2026-08-22T09:00:17Z'), reason: 'quota'}]);
		expect(h.bus.recent().some(e => e.type === 'accounts')).toBe(true);
		expect(JSON.stringify(h.db.prepare('SELECT * FROM accounts').all())).not.toContain('SECRET UPSTREAM');

		// A later event for the model only: the credential is usable, the model cools down.
		cpa.publishError(errorEvent({timestamp: '2026-08-22T14:05:00+08:00', auth_status: {status: 'active', disabled: false, unavailable: false, model: {name: 'claude-opus-4-7', status: 'error', unavailable: true, next_retry_after: '2026-08-22T15:00:00+08:00'}}}));
		await until(() => h.errorsChannel.events === 2, 'the second event');
		const b = h.accounts.list('today').find(x => x.authIndex === ALICE)!;
		expect(b).toMatchObject({state: 'active', modelCooldowns: [{model: 'claude-opus-4-7', until: Date.parse('2026-08-22T07:00:00Z'), reason: null}]});
	});

	it('skips a malformed event with the field named, and keeps listening', async () => {
		const {cpa, h} = await subscribed();
		await until(() => cpa.errorSubscriberCount === 1, 'subscribed');
		cpa.publishError({...errorEvent(), auth_index: '__proto__'});
		cpa.publishError(errorEvent());
		await until(() => h.errorsChannel.events === 1, 'the good event');
		expect(h.logs.some(l => l.msg === 'skipped a malformed errors-channel event' && l['field'] === 'auth_index')).toBe(true);
	});

	it('is not asked of a CPA older than v7.1.44, and a CPA that answers unsupported channel is not asked again', async () => {
		const old = await subscribed('7.1.24');
		await until(() => old.h.errorsChannel.state !== 'off', 'the usage subscription');
		expect(old.h.errorsChannel.state).toBe('unsupported');
		expect(old.cpa.respLog.some(c => c.args[0]?.toUpperCase() === 'SUBSCRIBE' && c.args[1] === 'errors')).toBe(false);

		const dev = await subscribed('dev');
		dev.cpa.errorsChannel = false;
		await until(() => dev.h.errorsChannel.state === 'unsupported', 'refused');
		expect(dev.cpa.respLog.filter(c => c.args[1] === 'errors')).toHaveLength(1);
	});
});
