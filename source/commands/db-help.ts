import type {HelpTexts} from './args.js';
import {CONFIG_FLAGS_HELP} from './common.js';

const HELP = `
	Usage
	  $ cliproxy-usage db backup FILE [--force]
	  $ cliproxy-usage db stats [--json]
	  $ cliproxy-usage db vacuum
	  $ cliproxy-usage db prune --older-than DAYS [--dry-run]

	Commands (each has its own --help: cliproxy-usage db prune --help)
	  backup FILE   a consistent copy of the database (SQLite's online backup), taken while the
	                collector writes, checked, and written as FILE only once complete
	  stats         file and WAL size, rows per table, the time span of the data, schema version
	  vacuum        rewrite the file to return free space to the system
	  prune         delete raw request rows older than DAYS days; the rollups (and so the
	                reports) stay
${CONFIG_FLAGS_HELP}

	Exit codes: 0 ok, 1 the database cannot be read or written, 2 bad usage.

	Examples
	  $ cliproxy-usage db stats
	  $ cliproxy-usage db backup backups/collector-$(date +%F).db
	  $ cliproxy-usage db prune --older-than 90 --dry-run
	  $ cliproxy-usage db prune --older-than 90 && cliproxy-usage db vacuum
`;

/** `db`'s help texts: the overview, and one per subcommand (printed by --help or -h anywhere). */
export const HELPS: HelpTexts = {
	'': HELP,
	backup: `
	Usage
	  $ cliproxy-usage db backup FILE [--force]

	A consistent copy of the database, taken with SQLite's online backup API while the collector
	writes: every request committed before the backup began, rollups agreeing with the rows.
	The copy is checked (PRAGMA quick_check), written beside FILE and renamed onto it only when
	whole, mode 0600, as one self-contained file. To restore: stop the collector, copy the backup
	to DB_PATH.

	Options
	  --force   replace FILE if it exists
${CONFIG_FLAGS_HELP}

	Exit codes: 0 ok, 1 the database cannot be read or FILE cannot be written, 2 bad usage.

	Examples
	  $ cliproxy-usage db backup backups/collector-$(date +%F).db
	  $ cliproxy-usage db backup collector-copy.db --force
`,
	stats: `
	Usage
	  $ cliproxy-usage db stats [--json]

	File and WAL size, free space inside the file, schema version, rows per table, the first and
	last stored request, the days the rollups cover, and how far raw rows were pruned. Opens the
	database read-only: safe while the collector runs.

	Options
	  --json    print JSON
${CONFIG_FLAGS_HELP}

	Exit codes: 0 ok, 1 the database cannot be read, 2 bad usage.

	Examples
	  $ cliproxy-usage db stats
	  $ cliproxy-usage db stats --json
`,
	vacuum: `
	Usage
	  $ cliproxy-usage db vacuum

	Rewrites the file to hand free pages (after db prune) back to the system. Writers wait while
	it runs, a collector at most 5 s: a longer vacuum fails the collector's pass, and a page it
	had already popped from CPA's usage queue is lost. On a database of more than a few hundred
	MB, stop the collector first.
${CONFIG_FLAGS_HELP}

	Exit codes: 0 ok, 1 the database cannot be read or written, 2 bad usage.

	Examples
	  $ cliproxy-usage db vacuum
	  $ cliproxy-usage db prune --older-than 90 && cliproxy-usage db vacuum
`,
	prune: `
	Usage
	  $ cliproxy-usage db prune --older-than DAYS [--dry-run]

	Deletes raw request rows (and legacy counter deltas) from before local midnight DAYS days
	ago, one local day per transaction. The rollups stay, so daily, weekly, monthly and
	per-model reports over those days read the same, in any zone; the single requests from then
	(latency, client key, source) are gone. DAYS is at least 7: rate-limit windows read the last
	week's rows. db vacuum returns the freed pages to the system.

	Options
	  --older-than DAYS   days of raw rows to keep (at least 7)
	  --dry-run           count what would go, delete nothing
${CONFIG_FLAGS_HELP}

	Exit codes: 0 ok, 1 the database cannot be read or written, 2 bad usage.

	Examples
	  $ cliproxy-usage db prune --older-than 90 --dry-run
	  $ cliproxy-usage db prune --older-than 180
`,
};
