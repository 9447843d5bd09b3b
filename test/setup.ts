import {cleanup} from 'ink-testing-library';
import {afterEach} from 'vitest';
import {runTestCleanups} from './support/temp.js';

// Polling mode for Ink tests: IS_REACT_ACT_ENVIRONMENT stays unset and no test calls act();
// frames are awaited until they change.
afterEach(async () => {
	cleanup();
	await runTestCleanups();
});
