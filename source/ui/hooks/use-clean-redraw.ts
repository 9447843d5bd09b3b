import {useStdout} from 'ink';
import {useEffect} from 'react';

/** Cursor home, then erase the whole screen (not the scrollback). */
export const BLANK_SCREEN = '\u001B[H\u001B[2J';

/**
 * After a burst of resizes settles, blanks the screen and has Ink draw the whole frame again
 * from the top. Ink erases its previous frame line by line, upwards from the cursor; when a
 * pane shrinks, tmux moves and cuts what was on screen, so that erase misses the top rows and
 * leaves pieces of the old frame (two status lines, old borders). Ink's own `write` clears its
 * frame, writes ours, and repaints the frame in full: its bookkeeping stays true.
 */
export function useCleanRedraw(enabled: boolean, debounceMs = 150): void {
	const {stdout, write} = useStdout();
	useEffect(() => {
		if (!enabled) return;
		let timer: NodeJS.Timeout | undefined;
		const onResize = () => {
			clearTimeout(timer);
			timer = setTimeout(() => write(BLANK_SCREEN), debounceMs);
		};
		stdout.on('resize', onResize);
		return () => {
			clearTimeout(timer);
			stdout.off('resize', onResize);
		};
	}, [enabled, stdout, write, debounceMs]);
}
