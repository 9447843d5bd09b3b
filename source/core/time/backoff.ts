/**
 * Delay before the next attempt after `failures` consecutive failures: the base interval
 * doubled per failure, capped, with up to ±10 % jitter from `random` (0..1) so several
 * collectors do not hammer a recovering CPA in step.
 */
export function backoffDelayMs(failures: number, baseMs: number, capMs: number, random = 0.5): number {
	if (failures <= 0) return baseMs;
	const raw = Math.min(capMs, baseMs * 2 ** Math.min(failures, 30));
	const jitter = 1 + (random - 0.5) * 0.2;
	return Math.round(Math.min(capMs, raw * jitter));
}
