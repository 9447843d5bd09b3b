import {PERIODS, type Period} from '../core/time/periods.js';

export type SortKey = 'cost' | 'requests' | 'tokens' | 'model';
export const SORTS: readonly SortKey[] = ['cost', 'requests', 'tokens', 'model'];

/** `notice`: a short-lived answer to a key that cannot do its job now (r while collection is stopped). */
export type UiState = {period: Period; sort: SortKey; help: boolean; notice?: string | null};

export type Action = {type: 'cycle-period'} | {type: 'cycle-sort'} | {type: 'toggle-help'} | {type: 'close-help'} | {type: 'notice'; text: string | null};

export const INITIAL_STATE: UiState = {period: 'today', sort: 'cost', help: false, notice: null};

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
		case 'notice':
			return (state.notice ?? null) === action.text ? state : {...state, notice: action.text};
	}
}
