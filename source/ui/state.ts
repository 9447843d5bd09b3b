import {PERIODS, type Period} from '../core/time/periods.js';

export type SortKey = 'cost' | 'requests' | 'tokens' | 'model';
export const SORTS: readonly SortKey[] = ['cost', 'requests', 'tokens', 'model'];

export type UiState = {period: Period; sort: SortKey; help: boolean};

export type Action = {type: 'cycle-period'} | {type: 'cycle-sort'} | {type: 'toggle-help'} | {type: 'close-help'};

export const INITIAL_STATE: UiState = {period: 'today', sort: 'cost', help: false};

const next = <T,>(list: readonly T[], current: T): T => list[(list.indexOf(current) + 1) % list.length]!;

export function reduce(state: UiState, action: Action): UiState {
	switch (action.type) {
		case 'cycle-period':
			return {...state, period: next(PERIODS, state.period)};
		case 'cycle-sort':
			return {...state, sort: next(SORTS, state.sort)};
		case 'toggle-help':
			return {...state, help: !state.help};
		case 'close-help':
			return state.help ? {...state, help: false} : state;
	}
}
