import {FieldError, isObject, type Json} from './fields.js';
import {parseTimestamp} from '../time/timestamp.js';

/** A cooldown CPA set after a failure, at the credential level or for one model. */
export type CooldownFact = {
	status: string | null;
	unavailable: boolean;
	exceeded: boolean;
	/** `quota` (a 429 on the model), `credential_quota`, `cloudflare challenge`, … */
	reason: string | null;
	/** When CPA will try the credential (or model) again. */
	until: number | null;
};

/**
 * One message on CPA's RESP `errors` channel (v7.1.44+), published after every failed request
 * once CPA has updated the credential's cooldown. The upstream `body` is never kept.
 */
export type ErrorEvent = {
	at: number;
	authIndex: string;
	provider: string | null;
	model: string | null;
	statusCode: number | null;
	disabled: boolean;
	credential: CooldownFact;
	/** The model's own state when CPA reports one. */
	modelState: (CooldownFact & {name: string}) | null;
};

const INDEX = /^[0-9a-f]{1,64}$/i;

export function readErrorEvent(value: unknown): ErrorEvent {
	if (!isObject(value)) throw new FieldError('event', 'expected a JSON object');
	const authIndex = value['auth_index'];
	if (typeof authIndex !== 'string' || !INDEX.test(authIndex)) throw new FieldError('auth_index', 'expected the credential\'s hex auth index');
	const at = instant(value['timestamp']);
	if (at === null) throw new FieldError('timestamp', 'expected an RFC 3339 timestamp');
	const status = isObject(value['auth_status']) ? value['auth_status'] : {};
	const code = value['status_code'];
	const model = isObject(status['model']) ? status['model'] : null;
	const modelName = model ? text(model['name'], 200) : null;
	return {
		at,
		authIndex: authIndex.toLowerCase(),
		provider: token(value['provider']),
		model: text(value['model'], 200),
		statusCode: typeof code === 'number' && Number.isInteger(code) && code >= 100 && code <= 599 ? code : null,
		disabled: status['disabled'] === true,
		credential: cooldown(status),
		modelState: model && modelName ? {...cooldown(model), name: modelName} : null,
	};
}

function cooldown(o: Json): CooldownFact {
	const quota = isObject(o['quota']) ? o['quota'] : {};
	const next = instant(o['next_retry_after']);
	const recover = instant(quota['next_recover_at']);
	return {
		status: token(o['status']),
		unavailable: o['unavailable'] === true,
		exceeded: quota['exceeded'] === true,
		reason: text(quota['reason'], 60),
		until: next === null ? recover : recover === null ? next : Math.max(next, recover),
	};
}

function instant(v: unknown): number | null {
	return typeof v === 'string' ? (parseTimestamp(v)?.ms ?? null) : null;
}

function token(v: unknown): string | null {
	return typeof v === 'string' && /^[a-z0-9_.-]{1,40}$/i.test(v) ? v.toLowerCase() : null;
}

function text(v: unknown, max: number): string | null {
	return typeof v === 'string' && v.trim() !== '' ? v.trim().slice(0, max) : null;
}
