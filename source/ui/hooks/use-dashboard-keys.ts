import {useInput} from 'ink';
import type {Dispatch} from 'react';
import type {Action} from '../state.js';

/** q/Ctrl-C quit, r collect now, p period, s sort, ? help (Esc closes it). */
export function useDashboardKeys(dispatch: Dispatch<Action>, actions: {quit: () => void; collect: () => void}): void {
	useInput((input, key) => {
		if (input === 'q' || (key.ctrl && input === 'c')) actions.quit();
		else if (input === 'r') actions.collect();
		else if (input === 'p') dispatch({type: 'cycle-period'});
		else if (input === 's') dispatch({type: 'cycle-sort'});
		else if (input === '?') dispatch({type: 'toggle-help'});
		else if (key.escape) dispatch({type: 'close-help'});
	});
}
