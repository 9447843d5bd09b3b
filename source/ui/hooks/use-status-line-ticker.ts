import {useStdout} from 'ink';
import {useEffect, useRef} from 'react';

/**
 * Redraws row 1 (the status line) in place once a second, without an Ink render: a full
 * render rebuilds the whole frame, which is most of what an idle dashboard would cost. Safe
 * because the frame always starts at row 1 (the alternate screen is entered with the cursor
 * at home, and frames never reach the bottom row) and the cursor is saved and restored around
 * the write, so Ink's next render finds it where it left it.
 */
export function useStatusLineTicker(enabled: boolean, line: () => string, intervalMs = 1000): void {
	const {stdout} = useStdout();
	const latest = useRef(line);
	latest.current = line;
	useEffect(() => {
		if (!enabled) return;
		const timer = setInterval(() => stdout.write(`\u001B7\u001B[1;1H\u001B[2K${latest.current()}\u001B8`), intervalMs);
		return () => clearInterval(timer);
	}, [enabled, stdout, intervalMs]);
}
