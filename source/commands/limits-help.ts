import type {HelpTexts} from './args.js';
import {CONFIG_FLAGS_HELP} from './common.js';

const ADD_OPTIONS = `
	Options
	  --provider NAME        a label, such as Anthropic (it does not filter: the pattern does)
	  --tier NAME            a label, such as Pro or "Max 5x"
	  --pattern PATTERN      models to count, case-insensitive: a substring (claude), or a glob over
	                         the whole name with * and ? (claude-opus-*)
	  --strategy S           daily (from local midnight), weekly (from Monday 00:00 local), or
	                         rolling (the last --window-minutes)
	  --window-minutes N     length of a rolling window, e.g. 300 for 5 hours
	  --tokens N             token limit (total tokens): 800000, 800k or 1.5M
	  --requests N           request limit
	  --cost USD             cost limit in US dollars, e.g. 25 or 7.50
	  --json                 print the new config's status as JSON
	  At least one of --tokens, --requests, --cost. Limits are yours to set: providers do not publish
	  subscription limits, so there are no built-in guesses.`;

const HELP = `
	Usage
	  $ cliproxy-usage limits list [--json]
	  $ cliproxy-usage limits add --provider NAME --tier NAME --pattern PATTERN --strategy daily|weekly|rolling
	                              [--window-minutes N] [--tokens N] [--requests N] [--cost USD] [--json]
	  $ cliproxy-usage limits remove ID
	  $ cliproxy-usage limits reset ID [--json]

	Gauges for limits you define, computed from the requests this collector recorded. Each
	subcommand has its own --help (cliproxy-usage limits add --help).

	  list       every config with its usage, percent used, next reset, burn rate and projection
	  add        a new config
	  remove ID  delete a config (ids as limits list shows them)
	  reset ID   start the config's window now, until its next natural boundary
${CONFIG_FLAGS_HELP}

	Exit codes: 0 ok, 1 the database cannot be read or written, 2 bad usage or an unknown ID.

	Examples
	  $ cliproxy-usage limits add --provider Anthropic --tier Pro --pattern claude --tokens 1.5M --strategy rolling --window-minutes 300
	  $ cliproxy-usage limits add --provider OpenAI --tier Plus --pattern "gpt-5*" --requests 500 --cost 20 --strategy weekly
	  $ cliproxy-usage limits list --json
	  $ cliproxy-usage limits reset 1
`;

/** `limits`'s help texts: the overview, and one per subcommand (printed by --help or -h anywhere). */
export const HELPS: HelpTexts = {
	'': HELP,
	list: `
	Usage
	  $ cliproxy-usage limits list [--json]

	Every rate-limit config and its status: used / limit, percent used and left, the next reset,
	the burn rate over the last hour or two, and when the limit runs out at that rate.

	Options
	  --json    the status objects (times in UTC epoch ms)
${CONFIG_FLAGS_HELP}

	Examples
	  $ cliproxy-usage limits list
	  $ cliproxy-usage limits list --json
`,
	add: `
	Usage
	  $ cliproxy-usage limits add --provider NAME --tier NAME --pattern PATTERN --strategy daily|weekly|rolling
	                              [--window-minutes N] [--tokens N] [--requests N] [--cost USD] [--json]
${ADD_OPTIONS}
${CONFIG_FLAGS_HELP}

	Examples
	  $ cliproxy-usage limits add --provider Anthropic --tier Pro --pattern claude --tokens 1.5M --strategy rolling --window-minutes 300
	  $ cliproxy-usage limits add --provider OpenAI --tier Plus --pattern "gpt-5*" --requests 500 --cost 20 --strategy weekly
	  $ cliproxy-usage limits add --provider Google --tier "AI Pro" --pattern gemini --requests 1000 --strategy daily
`,
	remove: `
	Usage
	  $ cliproxy-usage limits remove ID

	Deletes the config with that id (limits list shows the ids) and its status.
${CONFIG_FLAGS_HELP}

	Exit codes: 0 removed, 2 no config with that id, or bad usage.

	Examples
	  $ cliproxy-usage limits list
	  $ cliproxy-usage limits remove 3
`,
	reset: `
	Usage
	  $ cliproxy-usage limits reset ID [--json]

	Starts the config's window now. The reset holds until the next natural boundary: midnight
	for daily, Monday 00:00 for weekly, and for rolling windows until the reset is one window
	old. The same as POST /api/collector/reset/ID.

	Options
	  --json    print the new status as JSON
${CONFIG_FLAGS_HELP}

	Exit codes: 0 reset, 2 no config with that id, or bad usage.

	Examples
	  $ cliproxy-usage limits reset 1
	  $ cliproxy-usage limits reset 2 --json
`,
};
