// Stands in for `yoga-layout` in the bundle. Yoga's Emscripten loader reads its wasm from a
// data: URL with fetch() whenever fetch exists, and in Node the first fetch() loads undici:
// about 50 ms of the dashboard's start-up, to decode base64. Without fetch it decodes the
// same bytes itself. Its check runs inside the synchronous part of loadYoga(), so fetch is
// hidden for exactly that call.
import {loadYoga} from 'yoga-layout/load';

export * from 'yoga-layout/load';

function loadWithoutFetch() {
	const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
	Object.defineProperty(globalThis, 'fetch', {value: undefined, configurable: true, writable: true});
	try {
		return loadYoga();
	} finally {
		if (descriptor) Object.defineProperty(globalThis, 'fetch', descriptor);
		else delete globalThis.fetch;
	}
}

const Yoga = await loadWithoutFetch();
export default Yoga;
