import {readSnapshot, type PriceSnapshot} from '../core/pricing/snapshot.js';
import snapshotJson from './price-snapshot.json' with {type: 'json'};

let snapshot: PriceSnapshot | undefined;

/** The offline snapshot shipped in the package (see scripts/build-price-snapshot.ts). */
export function bundledSnapshot(): PriceSnapshot {
	return (snapshot ??= readSnapshot(snapshotJson));
}
