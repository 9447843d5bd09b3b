import {existsSync} from 'node:fs';
import {resolve} from 'node:path';
import {ConfigError} from '../core/config.js';

/**
 * Loads `.env` (or `--dotenv FILE`; Node 20 itself claims `--env-file` anywhere on the
 * command line) into `process.env`. Variables already set in the
 * environment win, so precedence is flags > environment > .env > defaults.
 */
export function loadEnvFile(explicit: string | undefined, cwd = process.cwd()): string | null {
	const file = resolve(cwd, explicit ?? '.env');
	if (!existsSync(file)) {
		if (explicit) throw new ConfigError('--dotenv', `names ${file}, which does not exist`);
		return null;
	}
	try {
		process.loadEnvFile(file);
	} catch (error) {
		throw new ConfigError(explicit ? '--dotenv' : '.env', `could not be read (${(error as Error).message})`);
	}
	return file;
}
