import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.{ts,tsx}'],
		// Ink misbehaves under CI=true (lastFrame() is "\n" after unmount, no resize listener),
		// colours depend on FORCE_COLOR, and day maths must not depend on the runner's zone.
		env: {CI: 'false', FORCE_COLOR: '0', TZ: 'UTC'},
		setupFiles: ['test/setup.ts'],
		globalSetup: ['test/global-setup.ts'],
		testTimeout: 20_000,
		hookTimeout: 30_000,
		pool: 'forks',
	},
});
