import {renderToString} from 'ink';
import {describe, expect, it} from 'vitest';
import {fitAlerts} from '../../../source/ui/alert-fit.js';
import {Alerts} from '../../../source/ui/components/alerts.js';
import {Footer} from '../../../source/ui/components/footer.js';
import {GaugeLine} from '../../../source/ui/components/gauge-line.js';
import {LimitsPanel} from '../../../source/ui/components/limits-panel.js';
import {ModelsPanel} from '../../../source/ui/components/models-panel.js';
import {SparklinePanel} from '../../../source/ui/components/sparkline-panel.js';
import {StatusLine} from '../../../source/ui/components/status-line.js';
import {TodayPanel} from '../../../source/ui/components/today-panel.js';
import {statusLineParts} from '../../../source/ui/status-text.js';
import {ACCOUNTS, GAUGES, MODELS, NOW, snapshot, status} from '../../support/ui-fixtures.js';
import {AccountsPanel} from '../../../source/ui/components/accounts-panel.js';
import {officialGauges} from '../../../source/ui/view-model.js';

const lines = (node: React.ReactElement, columns: number) => renderToString(node, {columns}).split('\n');

describe('StatusLine', () => {
	it('says health, version, backend, last and next pass, and the API address', () => {
		expect(lines(<StatusLine status={status()} server={{url: 'http://127.0.0.1:5001'}} now={NOW} width={120} />, 120)).toEqual([
			'● ok · CPA 7.2.140 · queue · polled 12s ago · next in 3s · API 127.0.0.1:5001',
		]);
	});

	it('shows a stopped collector and no countdown', () => {
		const s = status({stopped: {reason: 'CPA rejected the management key', at: NOW}, nextPollAt: null});
		expect(lines(<StatusLine status={s} server={null} now={NOW} width={80} />, 80)[0]).toBe('● stopped · CPA 7.2.140 · queue · polled 12s ago');
	});

	it('before the first pass says it is starting', () => {
		const s = status({lastPollAt: null, lastSuccessAt: null, source: {...status().source, active: null, cpaVersion: null}});
		expect(lines(<StatusLine status={s} server={null} now={NOW} width={80} />, 80)[0]).toBe('● starting · CPA · detecting · first pass… · next in 3s');
	});

	it('is yellow, not green, and says so when CPA\'s usage statistics are off', () => {
		const s = status({source: {...status().source, usageStatisticsEnabled: false}});
		expect(lines(<StatusLine status={s} server={null} now={NOW} width={100} />, 100)[0]).toBe('● usage statistics off in CPA · CPA 7.2.140 · queue · polled 12s ago · next in 3s');
		expect(statusLineParts(s, null, NOW).health).toBe('yellow');
		expect(statusLineParts(status(), null, NOW).health).toBe('green');
	});

	it('stopped before CPA answered: not "detecting" for ever, and no first pass to wait for', () => {
		const s = status({stopped: {reason: 'CLIPROXY_MANAGEMENT_KEY is not set', at: NOW}, lastPollAt: null, lastSuccessAt: null, nextPollAt: null, source: {...status().source, active: null, cpaVersion: null}});
		expect(lines(<StatusLine status={s} server={null} now={NOW} width={80} />, 80)[0]).toBe('● stopped · CPA · nothing collected');
	});

	it('truncates to a narrow pane', () => {
		const [line] = lines(<StatusLine status={status()} server={{url: 'http://127.0.0.1:5001'}} now={NOW} width={40} />, 40);
		expect(line).toBe('● ok · CPA 7.2.140 · queue · polled 12s…');
	});
});

describe('TodayPanel', () => {
	it('wide: cost (marked, as every estimate is), change, requests, success, tokens, burn, projection, yesterday, estimated count', () => {
		expect(lines(<TodayPanel data={snapshot()} mode="wide" width={56} />, 56)).toEqual([
			'╭─ Today ──────────────────────────────────────────────╮',
			'│ ~$12.34  ▲ 12% vs this time yesterday                │',
			'│ 412 requests · 98% ok · 5.13M tokens · 4 failed · 2… │',
			'│ burn $1.20/h → $23.14 by midnight at this rate       │',
			'│ yesterday $19.87 in all · ~ 9 estimated              │',
			'╰──────────────────────────────────────────────────────╯',
		]);
		// Wide enough: the upstream's failures, the 429s and the client's cancels apart.
		expect(lines(<TodayPanel data={snapshot()} mode="wide" width={100} />, 100)[2]).toMatch(/412 requests · 98% ok · 5\.13M tokens · 4 failed · 2 rate-limited · 1 cancelled\s+│$/);
	});

	it('wide: yesterday\'s total stays when nothing is estimated, and when something is', () => {
		const clean = snapshot({today: {...snapshot().today, estimated_requests: 0}});
		expect(lines(<TodayPanel data={clean} mode="wide" width={56} />, 56)[4]).toBe('│ yesterday $19.87 in all                              │');
		expect(lines(<TodayPanel data={snapshot()} mode="wide" width={44} />, 44)[4]).toBe('│ yesterday $19.87 in all · ~ 9 estimated  │');
	});

	it('narrow: two plain lines', () => {
		expect(lines(<TodayPanel data={snapshot()} mode="narrow" width={40} />, 40)).toEqual(['~$12.34 today · 412 req · 98% ok', '$1.20/h → $23.14 by midnight · ~ 9 est.']);
	});

	it('says when spending fell and when there is nothing to compare with', () => {
		const down = snapshot({vsYesterday: {costChange: -0.25, yesterdayCostSoFar: 16, yesterdayCost: 30}});
		expect(lines(<TodayPanel data={down} mode="medium" width={80} />, 80)[1]).toContain('▼ 25% vs this time yesterday');
		const none = snapshot({vsYesterday: {costChange: null, yesterdayCostSoFar: 0, yesterdayCost: 0}});
		expect(lines(<TodayPanel data={none} mode="medium" width={80} />, 80)[1]).toContain('nothing by this time yesterday');
	});
});

describe('ModelsPanel', () => {
	const props = {models: MODELS, period: 'today' as const, sort: 'cost' as const, totalCost: 12.3356};

	it('shows every column when wide, estimated costs marked ~ with the legend', () => {
		const out = lines(<ModelsPanel {...props} rows={10} mode="wide" width={100} />, 100);
		expect(out[0]).toMatch(/^╭─ Models · today · by cost · \$12\.34 ─+╮$/);
		// The one vocabulary: Input uncached, the cache read and written apart, Output with reasoning in it (Reason: of which).
		expect(out[1]).toMatch(/^│  Model\s+Reqs\s+Input\s+Cache R\s+Cache W\s+Output\s+Reason\s+Cost\s+Share\s+│$/);
		expect(out[2]).toMatch(/^│  claude-sonnet-4-5-20250929\s+212\s+1\.2M\s+8\.5M\s+420k\s+301k\s+0\s+\$8\.12\s+66%\s+│$/);
		expect(out[3]).toMatch(/gpt-5-codex\s+151\s+1\.1M\s+1\.8M\s+0\s+240k\s+90k\s+\$3\.01\s+24%/);
		expect(out[5]).toMatch(/glm-4\.6\s+9\s+9k\s+0\s+0\s+2k\s+0\s+~\$0\.0017\s+0\.1%/);
		expect(out[6]).toContain('~ includes estimated costs');
	});

	it('drops columns as the width shrinks, and cuts long names', () => {
		expect(lines(<ModelsPanel {...props} rows={10} mode="medium" width={60} />, 60)[1]).toMatch(/Model\s+Reqs\s+Tokens\s+Cost\s+Share/);
		const small = lines(<ModelsPanel {...props} rows={10} mode="medium" width={36} />, 36);
		expect(small[1]).toMatch(/Model\s+Cost\s+Share/);
		expect(small[2]).toMatch(/^│  claude-sonne…\s+\$8\.12\s+66%\s+│$/);
	});

	it('shows as many rows as it is given and says how many more there are', () => {
		const out = lines(<ModelsPanel {...props} rows={3} mode="medium" width={100} />, 100);
		expect(out.filter(l => /\$\d/.test(l) && !l.startsWith('╭'))).toHaveLength(2);
		expect(out.find(l => l.includes('… 2 more'))).toBeDefined();
	});

	it('sorts by requests, tokens and name', () => {
		const order = (sort: 'requests' | 'tokens' | 'model') =>
			lines(<ModelsPanel {...props} sort={sort} rows={10} mode="narrow" width={60} />, 60)
				.slice(1)
				.map(l => l.split(/\s+/)[0]);
		expect(order('requests')).toEqual(['claude-sonnet-4-5-20250929', 'gpt-5-codex', 'gemini-2.5-pro', 'glm-4.6']);
		expect(order('tokens')).toEqual(['gpt-5-codex', 'claude-sonnet-4-5-20250929', 'gemini-2.5-pro', 'glm-4.6']);
		expect(order('model')).toEqual(['claude-sonnet-4-5-20250929', 'gemini-2.5-pro', 'glm-4.6', 'gpt-5-codex']);
	});

	it('says so when the period has no requests', () => {
		expect(lines(<ModelsPanel {...props} models={[]} period="7d" rows={3} mode="narrow" width={40} />, 40)).toEqual(['Models · last 7 days · by cost · $12.34', 'No requests in the last 7 days.']);
	});
});

describe('gauges', () => {
	it('one line each: bar, percent, reset, exhaustion, used/limit; colour thresholds in the view model', () => {
		expect(lines(<GaugeLine gauge={GAUGES[0]!} now={NOW} barWidth={10} titleWidth={14} />, 120)).toEqual([
			'◇ Claude Max 5h  ███████░░░  71% ↻2h13m ⚠ empty in 1h05m  568k / 800k tokens · yours',
		]);
		expect(lines(<GaugeLine gauge={GAUGES[2]!} now={NOW} barWidth={10} titleWidth={14} compact />, 60)).toEqual(['◇ Gemini daily $ █████████░  93% ⚠20m']);
		expect(lines(<GaugeLine gauge={GAUGES[1]!} now={NOW} barWidth={10} titleWidth={14} compact />, 60)).toEqual(['◇ Codex weekly   ███░░░░░░░  34% ↻4d0h']);
	});

	it('lists the most used first and fits the rows it has', () => {
		const out = lines(<LimitsPanel gauges={GAUGES} rows={2} mode="narrow" width={40} now={NOW} />, 40);
		expect(out).toEqual(['Limits ◆ official ◇ yours', '◇ Gemini daily $ ████████████░  93% ⚠20m', '… 2 more']);
	});

	it('says where limits come from when there is none', () => {
		expect(lines(<LimitsPanel gauges={[]} rows={1} mode="wide" width={140} now={NOW} />, 140)[1]).toContain('No limits yet: official windows appear with Claude or Codex traffic; yours with cliproxy-usage limits add --help');
	});

	const gauges = [...officialGauges(ACCOUNTS), ...GAUGES];
	const body = (out: string[]) => out.slice(1, -1).map(l => l.replace(/^│ /, '').replace(/\s*│$/, ''));

	it('shows the official windows first, per account worst first, each with its age and reset, then your own limits marked as yours', () => {
		const out = lines(<LimitsPanel gauges={gauges} rows={14} mode="wide" width={110} now={NOW} />, 110);
		expect(out[0]).toMatch(/^╭─ Limits · ◆ official ◇ yours ─+╮$/);
		expect(body(out)).toEqual([
			// The bar gives way so that every label shows whole.
			'◆ carol 5h                   ██████████████ 113% ↻1h12m ⚠ used up · cooling down  official · 3m old',
			'◆ carol weekly               █████████░░░░░  64% ↻3d0h · cooling down  official · 3m old',
			'◆ alice 5h                   ████████████░░  85% ↻2h13m ⚠ empty in 1h15m  official · 3m old',
			'◆ alice weekly               ████░░░░░░░░░░  31% ↻4d0h  official · 3m old',
			'◆ alice weekly Sonnet        █░░░░░░░░░░░░░   7% ↻4d0h  official · 3m old',
			'◆ codex-bob 5h               ██████░░░░░░░░  40% ↻3h00m  official · 3m old',
			'◆ codex-bob weekly           ███░░░░░░░░░░░  22% ↻5d0h  official · 3m old',
			'◆ codex-bob Spark 5h         ░░░░░░░░░░░░░░   0% ↻5h00m  official · 3m old',
			'◆ Team console key API toke… ███░░░░░░░░░░░  18% ↻30s  official · 3m old',
			'◇ Gemini daily $             █████████████░  93% ↻9h30m ⚠ empty in 20m  $9.30 / $10.00 · yours ~ estimated',
			'◇ Claude Max 5h              ██████████░░░░  71% ↻2h13m ⚠ empty in 1h05m  568k / 800k tokens · yours',
			'◇ Codex weekly               █████░░░░░░░░░  34% ↻4d0h  3.4M / 10M tokens · yours',
		]);
	});

	it('keeps each account\'s tightest window and your limits when rows run short, saying how many more', () => {
		const out = body(lines(<LimitsPanel gauges={gauges} rows={9} mode="medium" width={90} now={NOW} />, 90));
		expect(out.map(l => l.split(/ +█| +░/)[0])).toEqual(['◆ carol 5h', '◆ carol weekly', '◆ alice 5h', '◆ codex-bob 5h', '◆ Team console key API toke…', '◇ Gemini daily $', '◇ Claude Max 5h', '◇ Codex weekly', '… 4 more']);
	});

	it('a 40-column side-pane keeps one line per account, its tightest window', () => {
		expect(lines(<LimitsPanel gauges={gauges} rows={10} mode="narrow" width={40} now={NOW} />, 40)).toEqual([
			'Limits ◆ official ◇ yours',
			'◆ carol 5h           ██████ 113% cooling',
			'◆ alice 5h           █████░  85% ⚠1h15m',
			'◆ codex-bob 5h       ██░░░░  40% ↻3h00m',
			'◆ Team console key … █░░░░░  18% ↻30s',
			'◇ Gemini daily $     ██████  93% ⚠20m',
			'◇ Claude Max 5h      ████░░  71% ⚠1h05m',
			'◇ Codex weekly       ██░░░░  34% ↻4d0h',
		]);
	});
});

describe('AccountsPanel', () => {
	it('one line per account: who, kind, state, tightest windows, requests, failures, 429s, cost', () => {
		const out = lines(<AccountsPanel accounts={ACCOUNTS} period="today" rows={8} width={120} now={NOW} />, 120);
		expect(out[0]).toMatch(/^╭─ Accounts · today · 5 · 1 cooling down ─+╮$/);
		expect(out.slice(1, -1).map(l => l.replace(/^│ /, '').replace(/\s*│$/, ''))).toEqual([
			'Account           Kind           State         Windows                                Reqs Fail 429     Cost',
			'carol@example.com claude pro     cooling 1h12m 5h 113% · weekly 64%                     88    2   5    $4.20',
			'alice@example.com claude max     active        5h 85% · weekly 31% · weekly Sonnet 7%  212    1   0    $8.12',
			'codex-bob         codex pro      active        5h 40% · weekly 22% · Spark 5h 0%       151    0   0    $3.01',
			'Team console key  claude API key active        API tokens 18%                            9    0   0 ~$0.0017',
			'dave@example.com  gemini         active        –                                        40    0   0    $1.20',
		]);
	});

	it('drops the least important columns, then cuts the windows, in a narrower panel, and says how many accounts it left out', () => {
		const narrow = lines(<AccountsPanel accounts={ACCOUNTS} period="7d" rows={7} width={80} now={NOW} />, 80);
		expect(narrow[1]).toBe('│ Account           State         Windows                    Reqs 429     Cost │');
		expect(narrow[3]).toBe('│ alice@example.com active        5h 85% · weekly 31% · wee…  212   0    $8.12 │');
		const short = lines(<AccountsPanel accounts={ACCOUNTS} period="7d" rows={4} width={62} now={NOW} />, 62);
		expect(short).toHaveLength(6);
		expect(short[4]).toContain('… 3 more (cliproxy-usage accounts)');
	});
});

describe('small parts', () => {
	it('sparkline: one character per hour, the current hour last', () => {
		expect(lines(<SparklinePanel hourlyCost={[0, 1, 2, 4, 8]} mode="narrow" width={60} />, 60)).toEqual(['24h ·▂▃▅█ peak $8.00/h']);
	});

	it('footer: as many key hints as fit', () => {
		expect(lines(<Footer width={80} />, 80)[0]).toBe('q quit  r collect now  p period  s sort  ? help');
		expect(lines(<Footer width={30} />, 30)[0]).toBe('q quit  r collect now');
	});

	it('alerts: wrapped when there is room; cut to one line, the start and the fix both stay', () => {
		const alert = {level: 'error' as const, text: 'Cannot reach CPA at http://localhost:8317: connection refused. Is CLIProxyAPI running?'};
		expect(lines(<Alerts alerts={fitAlerts([alert], 40, 3)} width={40} />, 40)).toEqual(['✖ Cannot reach CPA at', 'http://localhost:8317: connection', 'refused. Is CLIProxyAPI running?']);
		const one = lines(<Alerts alerts={fitAlerts([alert], 40, 1)} width={40} />, 40);
		expect(one).toHaveLength(1);
		expect(one[0]).toMatch(/^✖ Cannot rea.* … .*CLIProxyAPI running\?$/);
	});

});
