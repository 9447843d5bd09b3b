/** An answer past its cap; `declared` when its Content-Length already said so. */
export class TooLarge extends Error {
	constructor(
		readonly limit: number,
		readonly declared: number | null,
	) {
		super('answer too large');
	}
}

/** The body as text, refused once it passes `max` bytes (by Content-Length, or as it streams). */
export async function readCapped(response: Response, max: number): Promise<string> {
	const declared = Number(response.headers.get('content-length') ?? Number.NaN);
	if (Number.isFinite(declared) && declared > max) {
		await response.body?.cancel().catch(() => {});
		throw new TooLarge(max, declared);
	}
	if (!response.body) return '';
	const reader = response.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		const {done, value} = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size > max) {
			await reader.cancel().catch(() => {});
			throw new TooLarge(max, null);
		}
		chunks.push(value);
	}
	return Buffer.concat(chunks, size).toString('utf8');
}

export const formatSeconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
export const formatBytes = (n: number) => (n >= 1024 * 1024 ? `${Math.round((n / 1024 / 1024) * 10) / 10} MiB` : `${Math.round(n / 1024)} KiB`);
