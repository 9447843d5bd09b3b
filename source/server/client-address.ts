import {isIPv4, isIPv6} from 'node:net';

/**
 * The unit the server counts a client by: an IPv4 address, or an IPv6 /64 (one host usually
 * holds a whole /64, so counting single IPv6 addresses would let it pose as 2^64 clients).
 * IPv4-mapped IPv6 (`::ffff:1.2.3.4`) is the IPv4 address.
 */
export function clientKey(address: string | undefined): string {
	if (!address) return 'unknown';
	const bare = address.replace(/%.*$/, '');
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
	if (mapped) return mapped[1]!;
	if (isIPv4(bare)) return bare;
	if (!isIPv6(bare)) return bare;
	return `${expandIPv6(bare).slice(0, 4).join(':')}::/64`;
}

function expandIPv6(address: string): string[] {
	const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
	const left = head ? head.split(':') : [];
	const right = tail ? tail.split(':') : [];
	// An embedded IPv4 tail (::1.2.3.4) takes two groups.
	const last = right.at(-1) ?? left.at(-1);
	const v4 = last && last.includes('.') ? 1 : 0;
	const fill = tail === undefined ? [] : new Array<string>(8 - left.length - right.length - v4).fill('0');
	return [...left, ...fill, ...right].map(h => (h.includes('.') ? h : (Number.parseInt(h, 16) || 0).toString(16)));
}
