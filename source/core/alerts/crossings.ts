import {DAY_MS} from '../time/zone.js';
import type {AlertSubject} from './subjects.js';

/** A threshold already fired for a subject, and until when that firing holds. */
export type Fired = {threshold: number; windowEnd: number};

/**
 * A quota's reset time moves a little between observations (Codex sends seconds until the
 * reset): a reset this much later than the fired one is still the same window.
 */
export const SAME_WINDOW_SLACK_MS = 10 * 60_000;

/** Without an end or a length, a firing holds for a day. */
const FALLBACK_WINDOW_MS = DAY_MS;

export type Decision = {
	/** Thresholds crossed and not yet fired in this window, ascending, with the end to store. */
	fire: Fired[];
	/** Firings of this window whose end moved later: store the new end. */
	extend: Fired[];
};

/**
 * Which of `thresholds` fire now. A threshold fires once per window: again only after the
 * stored firing's window ended (its end passed), or when the subject's window ends clearly
 * later than the fired one did (a new window that began early). Daily and weekly limits carry
 * their window start in the key, so a new window is a new key.
 */
export function decideCrossings(subject: AlertSubject, thresholds: readonly number[], fired: ReadonlyMap<number, Fired>, now: number): Decision {
	const fire: Fired[] = [];
	const extend: Fired[] = [];
	for (const threshold of thresholds) {
		if (!(subject.percent >= threshold)) continue;
		const held = fired.get(threshold);
		const same = held !== undefined && now < held.windowEnd && (subject.windowEnd === null || subject.windowEnd <= held.windowEnd + SAME_WINDOW_SLACK_MS);
		if (same) {
			if (subject.windowEnd !== null && subject.windowEnd > held.windowEnd) extend.push({threshold, windowEnd: subject.windowEnd});
			continue;
		}
		const windowEnd = subject.windowEnd !== null && subject.windowEnd > now ? subject.windowEnd : now + (subject.windowMs || FALLBACK_WINDOW_MS);
		fire.push({threshold, windowEnd});
	}
	return {fire, extend};
}
