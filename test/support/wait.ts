/** Polls `check` until it holds; fails naming `what` after `timeoutMs`. For waiting, never for timing. */
export async function until(check: () => boolean, what = 'condition', timeoutMs = 8000): Promise<void> {
	const end = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > end) throw new Error(`${what}: not met within ${timeoutMs} ms`);
		await new Promise(r => setTimeout(r, 10));
	}
}
