import type {HelpTexts} from './args.js';
import {CONFIG_FLAGS_HELP} from './common.js';

const HELP = `
	Usage
	  $ cliproxy-usage prices [show] [MODEL] [--provider P] [--json]
	  $ cliproxy-usage prices update [--json]
	  $ cliproxy-usage prices set MODEL --input USD --output USD [--cache-read USD] [--cache-write USD]
	  $ cliproxy-usage prices unset MODEL
	  $ cliproxy-usage prices reprice --since YYYY-MM-DD [--until YYYY-MM-DD] [--dry-run] [--json]

	Each subcommand has its own --help (cliproxy-usage prices set --help).
	  show      the price sources and every model seen with its price; with MODEL, how that
	            name was matched, its prices and the formula
	  update    fetch LiteLLM and llm-prices.com now and say what changed
	  set       your own price for a model (or _default), USD per million tokens
	  unset     remove your price for a model
	  reprice   price the requests of a date range again with today's prices

	New prices apply to requests collected from then on; stored requests keep the price they
	were given until you re-price them on purpose.
${CONFIG_FLAGS_HELP}

	Examples
	  $ cliproxy-usage prices
	  $ cliproxy-usage prices show claude-sonnet-4-5-20250929
	  $ cliproxy-usage prices set glm-4.6 --input 0.6 --output 2.2 --cache-read 0.11
	  $ cliproxy-usage prices reprice --since 2026-11-01 --until 2026-11-30 --dry-run
`;

/** `prices`'s help texts: the overview, and one per subcommand (printed by --help or -h anywhere). */
export const HELPS: HelpTexts = {
	'': HELP,
	show: `
	Usage
	  $ cliproxy-usage prices [show] [MODEL] [--provider P] [--json]

	Without MODEL: the price sources, most trusted first, and every model seen with the price it
	gets now; models with no known price are flagged, and why stored costs are estimates. With
	MODEL: which source and key price it, why that name matched, the prices (long-context tiers
	and the priority and flex service tiers too) and the cost formula.

	Options
	  --provider P   the CPA provider whose token semantics to show (claude, codex, gemini,
	                 antigravity, …); without it, the model name decides
	  --json         print JSON
${CONFIG_FLAGS_HELP}

	Examples
	  $ cliproxy-usage prices show
	  $ cliproxy-usage prices show claude-sonnet-4-5-20250929
	  $ cliproxy-usage prices show claude-sonnet-4-5 --provider antigravity
	  $ cliproxy-usage prices show gpt-5
`,
	update: `
	Usage
	  $ cliproxy-usage prices update [--json]

	Fetches LiteLLM's model_prices_and_context_window.json and llm-prices.com's current-v1.json
	now (PRICES_LITELLM_URL, PRICES_LLM_PRICES_URL), keeps each as the cached copy, and lists
	what changed. Offline, nothing changes: prices stay cached or bundled.

	Options
	  --json    the fetch reports as JSON
${CONFIG_FLAGS_HELP}

	Exit codes: 0 at least one source fetched, 1 neither could be fetched, 2 bad usage.

	Examples
	  $ cliproxy-usage prices update
	  $ cliproxy-usage prices update --json
`,
	set: `
	Usage
	  $ cliproxy-usage prices set MODEL --input USD --output USD [--cache-read USD] [--cache-write USD]

	Your own price for MODEL (or _default, the price of unknown models), in USD per million
	tokens, kept in the database. It wins over every source for requests collected from now on;
	a running collector picks it up within a minute. A price that names only input and output
	keeps the cache prices of the source below it.

	Options
	  --input USD         input tokens
	  --output USD        output tokens
	  --cache-read USD    cache reads (optional)
	  --cache-write USD   cache writes (optional)
${CONFIG_FLAGS_HELP}

	Examples
	  $ cliproxy-usage prices set glm-4.6 --input 0.6 --output 2.2 --cache-read 0.11
	  $ cliproxy-usage prices set _default --input 3 --output 15
`,
	unset: `
	Usage
	  $ cliproxy-usage prices unset MODEL

	Removes your price for MODEL; it prices from the sources again.
${CONFIG_FLAGS_HELP}

	Examples
	  $ cliproxy-usage prices unset glm-4.6
`,
	reprice: `
	Usage
	  $ cliproxy-usage prices reprice --since YYYY-MM-DD [--until YYYY-MM-DD] [--dry-run] [--json]

	Prices the requests of those local days (in the configured zone; --until is inclusive and
	defaults to today) again with the prices in use now, re-prices the legacy counter deltas
	that overlap them, and rebuilds the hourly and daily totals they feed, in one transaction.

	Options
	  --since YYYY-MM-DD   first day
	  --until YYYY-MM-DD   last day (default today)
	  --dry-run            say what would change, write nothing
	  --json               print JSON
${CONFIG_FLAGS_HELP}

	Examples
	  $ cliproxy-usage prices reprice --since 2026-11-01 --until 2026-11-30 --dry-run
	  $ cliproxy-usage prices reprice --since 2026-11-01
`,
};
