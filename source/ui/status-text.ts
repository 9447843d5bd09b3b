import type {CollectorStatus} from '../collector/status.js';
import {formatAge, formatDuration} from '../core/report/format.js';
import type {RemoteLink} from '../remote/remote-source.js';
import {sourceLabel, type ServerState} from './view-model.js';
import {safeText} from '../core/text/safe-text.js';

export type Health = 'red' | 'yellow' | 'green' | 'gray';

/**
 * The status line's parts: a health dot, the text, and the API address (dim). Green only when
 * requests are being collected: CPA with usage statistics off records nothing, so that is
 * yellow and said first.
 */
export function statusLineParts(status: CollectorStatus, server: ServerState, now: number): {health: Health; text: string; api: string} {
	if (status.instances && status.instances.length > 1) return severalLineParts(status.instances, server, now);
	const {source} = status;
	const off = source.usageStatisticsEnabled === false;
	const health: Health = status.stopped ? 'red' : status.lastError || off ? 'yellow' : status.lastSuccessAt ? 'green' : 'gray';
	const word = status.stopped ? 'stopped' : status.lastError ? 'retrying' : off ? 'usage statistics off in CPA' : status.lastSuccessAt ? 'ok' : 'starting';
	const version = source.cpaVersion ? `CPA ${safeText(source.cpaVersion, 'version')}` : 'CPA';
	const last = status.lastSuccessAt
		? `polled ${formatAge(now - status.lastSuccessAt)}`
		: status.stopped
			? 'nothing collected'
			: status.lastPollAt
				? 'no pass succeeded yet'
				: 'first pass…';
	const next = status.nextPollAt && !status.stopped ? ` · next in ${formatDuration(Math.max(0, status.nextPollAt - now))}` : '';
	if (server && 'remote' in server) {
		// The link first, so a narrow terminal still shows whose data this is and how old.
		const link = remoteText(server.remote, now);
		const live = server.remote.state === 'live';
		return {health: link.health ?? health, text: [link.text, word, version, sourceLabel(status), `${last}${live ? next : ''}`].filter(Boolean).join(' · '), api: ''};
	}
	const api = server && 'url' in server ? ` · API ${server.url.replace(/^http:\/\//, '')}` : '';
	return {health, text: [word, version, sourceLabel(status), `${last}${next}`].filter(Boolean).join(' · '), api};
}

const RANK: Record<Health, number> = {red: 3, yellow: 2, gray: 1, green: 0};

/** One CPA of several, in a word: `ok`, `starting`, `retrying`, `stopped`, `stats off`. */
function instanceWord(s: CollectorStatus): {health: Health; word: string} {
	if (s.stopped) return {health: 'red', word: 'stopped'};
	if (s.lastError) return {health: 'yellow', word: 'retrying'};
	if (s.source.usageStatisticsEnabled === false) return {health: 'yellow', word: 'stats off'};
	return s.lastSuccessAt ? {health: 'green', word: 'ok'} : {health: 'gray', word: 'starting'};
}

/**
 * Several CPAs: the worst one's colour, how many are well, then each by name with its word, and
 * the newest successful pass. `2/3 ok · team ok, laptop retrying, lab ok · polled 3s ago`.
 */
function severalLineParts(instances: readonly CollectorStatus[], server: ServerState, now: number): {health: Health; text: string; api: string} {
	const words = instances.map(instanceWord);
	const health = words.reduce<Health>((worst, w) => (RANK[w.health] > RANK[worst] ? w.health : worst), 'green');
	const ok = words.filter(w => w.word === 'ok').length;
	const each = instances.map((s, i) => `${safeText(s.instance ?? '', 'label')} ${words[i]!.word}`).join(', ');
	const newest = Math.max(0, ...instances.map(s => s.lastSuccessAt ?? 0));
	const next = Math.min(...instances.map(s => (s.stopped || !s.nextPollAt ? Infinity : s.nextPollAt)));
	const last = newest > 0 ? `polled ${formatAge(now - newest)}` : 'first pass…';
	const when = `${last}${Number.isFinite(next) ? ` · next in ${formatDuration(Math.max(0, next - now))}` : ''}`;
	const text = [`${ok}/${instances.length} CPAs ok`, each, when];
	if (server && 'remote' in server) {
		const link = remoteText(server.remote, now);
		return {health: link.health ?? health, text: [link.text, ...text].join(' · '), api: ''};
	}
	const api = server && 'url' in server ? ` · API ${server.url.replace(/^http:\/\//, '')}` : '';
	return {health, text: text.join(' · '), api};
}

/** `remote: server:5001 · updated 12s ago`, marked stale when the link is down or silent past its threshold. */
export function remoteText(link: RemoteLink, now: number): {text: string; health: Health | null} {
	const age = Math.max(0, now - link.heardAt);
	const stale = link.state !== 'live' || age > link.staleMs;
	const state = link.state === 'refused' ? ' · refused' : link.state === 'reconnecting' ? ' · reconnecting' : '';
	const updated = `updated ${age < 1500 ? 'just now' : `${formatDuration(age)} ago`}`;
	return {text: `remote: ${safeText(link.label, 'label')}${state} · ${stale ? `STALE, ${updated}` : updated}`, health: link.state === 'refused' ? 'red' : stale ? 'yellow' : null};
}

const COLOR: Record<Health, number> = {red: 31, yellow: 33, green: 32, gray: 90};

/**
 * The same line with ANSI colours, cut to `width` as Ink's truncate-end cuts it, for writing
 * straight to the terminal. Every character in it is one column wide.
 */
export function statusLineAnsi(parts: {health: Health; text: string; api: string}, width: number): string {
	const plain = `● ${parts.text}${parts.api}`;
	const cut = plain.length > width ? `${plain.slice(0, Math.max(0, width - 1))}…` : plain;
	const textEnd = 2 + parts.text.length;
	const main = cut.slice(2, Math.min(cut.length, textEnd));
	const dim = cut.length > textEnd ? cut.slice(textEnd) : '';
	return `\u001B[${COLOR[parts.health]}m●\u001B[39m ${main}${dim ? `\u001B[2m${dim}\u001B[22m` : ''}`;
}
