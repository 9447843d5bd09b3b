/**
 * CPA serialises Go `time.Time` as RFC 3339 with up to nanosecond precision and any offset.
 * The dedupe key needs the full precision (two requests in the same millisecond differ in the
 * nanoseconds), so parsing keeps it as a canonical `seconds.nanoseconds` string in UTC.
 * Digits are read directly: this runs once per record on the ingest path.
 */
export type ParsedTimestamp = {
	/** UTC epoch milliseconds (fraction truncated). */
	ms: number;
	/** Zone-independent and precision-preserving: `1716196504.123456000`. */
	canonical: string;
};

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function parseTimestamp(value: string): ParsedTimestamp | undefined {
	const n = value.length;
	if (n < 20 || n > 35) return undefined;
	const year = digits(value, 0, 4);
	const month = digits(value, 5, 2);
	const day = digits(value, 8, 2);
	const hour = digits(value, 11, 2);
	const minute = digits(value, 14, 2);
	const second = digits(value, 17, 2);
	const sep = value.charCodeAt(10);
	if (
		year < 1970 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45 || (sep !== 84 && sep !== 116 && sep !== 32) ||
		value.charCodeAt(13) !== 58 || value.charCodeAt(16) !== 58 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60
	) {
		return undefined;
	}
	const leap = month === 2 && (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0));
	if (day > DAYS_IN_MONTH[month - 1]! + (leap ? 1 : 0)) return undefined;
	let i = 19;
	let fraction = '000000000';
	if (value.charCodeAt(i) === 46 /* . */) {
		let j = i + 1;
		while (j < n && isDigit(value.charCodeAt(j))) j++;
		const count = j - i - 1;
		if (count < 1 || count > 9) return undefined;
		fraction = value.slice(i + 1, j).padEnd(9, '0');
		i = j;
	}
	let seconds = Date.UTC(year, month - 1, day, hour, minute, second) / 1000;
	const zone = value.charCodeAt(i);
	if (zone === 90 || zone === 122 /* Z z */) {
		if (i + 1 !== n) return undefined;
	} else if (zone === 43 || zone === 45 /* + - */) {
		if (i + 6 !== n || value.charCodeAt(i + 3) !== 58) return undefined;
		const offHours = digits(value, i + 1, 2);
		const offMinutes = digits(value, i + 4, 2);
		if (offHours < 0 || offHours > 23 || offMinutes < 0 || offMinutes > 59) return undefined;
		seconds -= (zone === 45 ? -1 : 1) * (offHours * 3600 + offMinutes * 60);
	} else {
		return undefined;
	}
	return {ms: seconds * 1000 + Math.floor(Number(fraction) / 1e6), canonical: `${seconds}.${fraction}`};
}

/** The number written by `count` digits at `at`, or -1 when any is not a digit. */
function digits(value: string, at: number, count: number): number {
	let result = 0;
	for (let k = at; k < at + count; k++) {
		const c = value.charCodeAt(k);
		if (!isDigit(c)) return -1;
		result = result * 10 + (c - 48);
	}
	return result;
}

function isDigit(c: number): boolean {
	return c >= 48 && c <= 57;
}
