import {afterEach} from 'vitest';
import {runTestCleanups} from './support/temp.js';

afterEach(async () => {
	await runTestCleanups();
});
