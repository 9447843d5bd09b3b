/**
 * `requests` is keyed by (6-byte big-endian timestamp ms ‖ hash), so the rows of [start, end)
 * are exactly those with keyRange(start, end)[0] <= dedupe_key < keyRange(start, end)[1].
 */
export function keyBound(ms: number): Buffer {
	const out = Buffer.alloc(16);
	out.writeUIntBE(Math.max(0, Math.min(Math.floor(ms), 2 ** 48 - 1)), 0, 6);
	return out;
}

export function keyRange(start: number, end: number): [Buffer, Buffer] {
	return [keyBound(start), keyBound(end)];
}
