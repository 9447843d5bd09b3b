/** Columns to lay a table out in: $COLUMNS when set, else the terminal's; none when piped. */
export function terminalWidth(env: NodeJS.ProcessEnv = process.env, stdout: {isTTY?: boolean; columns?: number} = process.stdout): number | undefined {
	const fromEnv = Number(env['COLUMNS']);
	if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
	return stdout.isTTY && stdout.columns ? stdout.columns : undefined;
}
