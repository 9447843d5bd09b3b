/** Budget alerts' settings (docs/alerts.md). */
export type AlertConfig = {
	/** `ALERT_WEBHOOK_URL`: where each crossed threshold is POSTed; null: no webhook. A secret (Slack's and Discord's URLs carry their token): never logged. */
	webhookUrl: string | null;
	/** `ALERT_THRESHOLDS`: percents of a limit or quota window, ascending; empty turns alerts off. @default [80, 100] */
	thresholds: number[];
	/** `ALERT_BELL`: the dashboard rings the terminal bell when a threshold is crossed. @default true */
	bell: boolean;
};

export const DEFAULT_THRESHOLDS: readonly number[] = [80, 100];

type Env = Readonly<Record<string, string | undefined>>;

export function resolveAlertConfig(env: Env, fail: (field: string, problem: string) => Error): AlertConfig {
	const text = (name: string) => {
		const v = env[name]?.trim();
		return v ? v : undefined;
	};
	return {
		webhookUrl: parseWebhookUrl(text('ALERT_WEBHOOK_URL'), fail),
		thresholds: parseThresholds(text('ALERT_THRESHOLDS'), fail),
		bell: parseBell(text('ALERT_BELL'), fail),
	};
}

/** The URL is a secret: errors name what is wrong with it, never the URL. */
function parseWebhookUrl(value: string | undefined, fail: (field: string, problem: string) => Error): string | null {
	if (value === undefined) return null;
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		throw fail('ALERT_WEBHOOK_URL', 'must be an http(s) URL such as https://hooks.slack.com/services/… (the value is not repeated here: it may hold a token)');
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') throw fail('ALERT_WEBHOOK_URL', `must start with https:// or http:// (it starts with ${url.protocol})`);
	if (url.username || url.password) throw fail('ALERT_WEBHOOK_URL', 'must not contain user:password@; ntfy takes a token as ?auth=… instead');
	url.hash = '';
	return url.href;
}

function parseThresholds(value: string | undefined, fail: (field: string, problem: string) => Error): number[] {
	if (value === undefined) return [...DEFAULT_THRESHOLDS];
	if (/^(off|none|0)$/i.test(value)) return [];
	const out = new Set<number>();
	for (const raw of value.split(',')) {
		const t = raw.trim().replace(/%$/, '');
		if (!/^\d+(\.\d+)?$/.test(t) || Number(t) <= 0 || Number(t) > 1000) {
			throw fail('ALERT_THRESHOLDS', `must be percents above 0 and at most 1000, comma-separated, such as 80,100 (or off); got ${JSON.stringify(raw.trim().slice(0, 20))}`);
		}
		out.add(Number(t));
	}
	return [...out].sort((a, b) => a - b);
}

function parseBell(value: string | undefined, fail: (field: string, problem: string) => Error): boolean {
	const v = (value ?? 'true').toLowerCase();
	if (!['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'].includes(v)) throw fail('ALERT_BELL', `must be true or false (got ${JSON.stringify(value?.slice(0, 20))})`);
	return ['true', '1', 'yes', 'on'].includes(v);
}
