/**
 * Real upstream header sets from the reference (quota-sources.md §1.4 and §2.2), as CPA puts
 * them in `response_headers`: Go canonical names, every value a list of strings. The
 * non-quota headers a real response also carries (cookies, ids) are added by `withNoise`.
 */
type Headers = Record<string, string[]>;

const parse = (text: string): Headers =>
	Object.fromEntries(
		text
			.trim()
			.split('\n')
			.map(line => {
				const i = line.indexOf(': ');
				return [line.slice(0, i), [line.slice(i + 2)]];
			}),
	);

/** CPA PR #3169 realCapture200Allowed. */
export const CLAUDE_200_ALLOWED = parse(`
Anthropic-Ratelimit-Unified-Status: allowed
Anthropic-Ratelimit-Unified-5h-Status: allowed
Anthropic-Ratelimit-Unified-5h-Reset: 1777500000
Anthropic-Ratelimit-Unified-5h-Utilization: 0.0
Anthropic-Ratelimit-Unified-7d-Status: allowed
Anthropic-Ratelimit-Unified-7d-Reset: 1777561200
Anthropic-Ratelimit-Unified-7d-Utilization: 0.0
Anthropic-Ratelimit-Unified-Representative-Claim: five_hour
Anthropic-Ratelimit-Unified-Fallback-Percentage: 0.5
Anthropic-Ratelimit-Unified-Reset: 1777500000
Anthropic-Ratelimit-Unified-Overage-Disabled-Reason: org_level_disabled
Anthropic-Ratelimit-Unified-Overage-Status: rejected`);

/** CPA PR #3169 realCapture200WarningWithTierWindow: weekly warning, an extra Sonnet window. */
export const CLAUDE_200_WARNING = parse(`
Anthropic-Ratelimit-Unified-Status: allowed_warning
Anthropic-Ratelimit-Unified-5h-Status: allowed
Anthropic-Ratelimit-Unified-5h-Reset: 1777420800
Anthropic-Ratelimit-Unified-5h-Utilization: 0.35
Anthropic-Ratelimit-Unified-7d-Status: allowed_warning
Anthropic-Ratelimit-Unified-7d-Reset: 1777575600
Anthropic-Ratelimit-Unified-7d-Utilization: 0.85
Anthropic-Ratelimit-Unified-7d-Surpassed-Threshold: 0.75
Anthropic-Ratelimit-Unified-7d_sonnet-Status: allowed
Anthropic-Ratelimit-Unified-7d_sonnet-Reset: 1777575600
Anthropic-Ratelimit-Unified-7d_sonnet-Utilization: 0.07
Anthropic-Ratelimit-Unified-Representative-Claim: seven_day
Anthropic-Ratelimit-Unified-Fallback-Percentage: 0.5
Anthropic-Ratelimit-Unified-Reset: 1777575600
Anthropic-Ratelimit-Unified-Overage-Disabled-Reason: org_level_disabled_until
Anthropic-Ratelimit-Unified-Overage-Status: rejected`);

/** CPA PR #3169 realCapture429Rejected: the 5-hour window exhausted (with the Retry-After CPA's tests pair it with). */
export const CLAUDE_429_REJECTED = {
	...parse(`
Anthropic-Ratelimit-Unified-Status: rejected
Anthropic-Ratelimit-Unified-5h-Status: rejected
Anthropic-Ratelimit-Unified-5h-Reset: 1777500000
Anthropic-Ratelimit-Unified-5h-Utilization: 1.13
Anthropic-Ratelimit-Unified-5h-Surpassed-Threshold: 1.0
Anthropic-Ratelimit-Unified-7d-Status: allowed
Anthropic-Ratelimit-Unified-7d-Reset: 1777561200
Anthropic-Ratelimit-Unified-7d-Utilization: 0.09
Anthropic-Ratelimit-Unified-Representative-Claim: five_hour
Anthropic-Ratelimit-Unified-Fallback-Percentage: 0.5
Anthropic-Ratelimit-Unified-Reset: 1777500000
Anthropic-Ratelimit-Unified-Overage-Disabled-Reason: org_level_disabled
Anthropic-Ratelimit-Unified-Overage-Status: rejected
Anthropic-Ratelimit-Unified-Upgrade-Paths: upgrade_plan`),
	'Retry-After': ['3600'],
};

/** The Fable bucket as askalf/dario#1262 reports it: 7d_oi rejected alone. */
export const CLAUDE_FABLE_REJECTED = parse(`
Anthropic-Ratelimit-Unified-Status: rejected
Anthropic-Ratelimit-Unified-5h-Status: allowed
Anthropic-Ratelimit-Unified-5h-Reset: 1777500000
Anthropic-Ratelimit-Unified-5h-Utilization: 0.2
Anthropic-Ratelimit-Unified-7d-Status: allowed
Anthropic-Ratelimit-Unified-7d-Reset: 1777561200
Anthropic-Ratelimit-Unified-7d-Utilization: 0.4
Anthropic-Ratelimit-Unified-7d_oi-Status: rejected
Anthropic-Ratelimit-Unified-7d_oi-Utilization: 1.0
Anthropic-Ratelimit-Unified-7d_oi-Surpassed-Threshold: 1.0
Anthropic-Ratelimit-Unified-7d_oi-Reset: 1777561200`);

/** The cpa-usage-keeper fixture (codex_header_test.go): a pro plan with a Spark (bengalfox) family. */
export const CODEX_WITH_SPARK = parse(`
X-Codex-Plan-Type: pro
X-Codex-Primary-Used-Percent: 4
X-Codex-Primary-Window-Minutes: 300
X-Codex-Primary-Reset-After-Seconds: 7404
X-Codex-Primary-Reset-At: 1782105247
X-Codex-Secondary-Used-Percent: 22
X-Codex-Secondary-Window-Minutes: 10080
X-Codex-Secondary-Reset-After-Seconds: 303127
X-Codex-Secondary-Reset-At: 1782400970
X-Codex-Bengalfox-Limit-Name: GPT-5.3-Codex-Spark
X-Codex-Bengalfox-Primary-Used-Percent: 0
X-Codex-Bengalfox-Primary-Window-Minutes: 300
X-Codex-Bengalfox-Primary-Reset-After-Seconds: 18000
X-Codex-Bengalfox-Primary-Reset-At: 1782115844
X-Codex-Bengalfox-Secondary-Used-Percent: 0
X-Codex-Bengalfox-Secondary-Window-Minutes: 10080
X-Codex-Bengalfox-Secondary-Reset-After-Seconds: 604800
X-Codex-Bengalfox-Secondary-Reset-At: 1782702643
X-Codex-Bengalfox-Primary-Over-Secondary-Limit-Percent: 0
X-Codex-Credits-Has-Credits: False`);

/** A free, weekly-only account: its one 10080-minute window comes as primary, with only a relative reset. */
export const CODEX_WEEKLY_ONLY = parse(`
X-Codex-Plan-Type: free
X-Codex-Primary-Used-Percent: 61.5
X-Codex-Primary-Window-Minutes: 10080
X-Codex-Primary-Reset-After-Seconds: 86400`);

/** Claude API-key (Console) accounts get the classic family, resets in RFC 3339. */
export const CLAUDE_API_KEY = parse(`
Anthropic-Ratelimit-Requests-Limit: 4000
Anthropic-Ratelimit-Requests-Remaining: 3999
Anthropic-Ratelimit-Requests-Reset: 2026-11-23T10:00:01Z
Anthropic-Ratelimit-Tokens-Limit: 800000
Anthropic-Ratelimit-Tokens-Remaining: 200000
Anthropic-Ratelimit-Tokens-Reset: 2026-11-23T10:00:30Z`);

/** What else a real response carries; none of it may be stored. */
export const NOISE: Headers = {
	'Set-Cookie': ['__cf_bm=SECRETCOOKIEVALUE; path=/; HttpOnly', '_cfuvid=ANOTHERSECRET; path=/'],
	'Anthropic-Organization-Id': ['0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b'],
	'Request-Id': ['req_011CVsecretrequestid'],
	'X-Codex-Turn-State': ['opaque-replayable-state-SECRET'],
	'Cf-Ray': ['9a1b2c3d4e5f-FRA'],
	'Content-Type': ['text/event-stream; charset=utf-8'],
};

export const withNoise = (h: Headers): Headers => ({...NOISE, ...h});

/** The same headers with lower-case names and bare string values (what some Redis JSON senders emit). */
export function lowerBare(h: Headers): Record<string, string> {
	return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v[0]!]));
}
