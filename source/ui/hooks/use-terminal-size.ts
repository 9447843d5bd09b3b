import {useStdout} from 'ink';
import {useEffect, useState} from 'react';

export type TerminalSize = {columns: number; rows: number};

/**
 * The terminal's size, following `resize` (tmux sends SIGWINCH when a pane changes). Bursts of
 * resize events (dragging a pane, zooming a font) are debounced into one re-render.
 */
export function useTerminalSize(debounceMs = 150): TerminalSize {
	const {stdout} = useStdout();
	const read = (): TerminalSize => ({columns: stdout.columns || 80, rows: stdout.rows || 24});
	const [size, setSize] = useState(read);
	useEffect(() => {
		let timer: NodeJS.Timeout | undefined;
		const onResize = () => {
			clearTimeout(timer);
			timer = setTimeout(() => {
				const next = read();
				setSize(prev => (prev.columns === next.columns && prev.rows === next.rows ? prev : next));
			}, debounceMs);
		};
		stdout.on('resize', onResize);
		return () => {
			clearTimeout(timer);
			stdout.off('resize', onResize);
		};
	}, [stdout, debounceMs]);
	return size;
}
