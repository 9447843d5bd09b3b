import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {createServer} from 'node:net';
import {onCleanup, tempDir} from './temp.js';
import {RawResp} from './resp-wire.js';
import {installHint, TOOLS} from './tools.js';

const BINARY = TOOLS['redis-server'].binary;

/**
 * A real redis-server for the RESP tests: loopback, an ephemeral port, `requirepass`, no
 * persistence. `.ci/run` installs it with apt-get; without it the RESP tests are skipped, saying so (tools.ts).
 */
export class RedisServer {
	private child: ChildProcess | undefined;
	private readonly dir = tempDir();

	private constructor(
		readonly port: number,
		readonly password: string,
		private readonly extraArgs: readonly string[],
	) {}

	static async start(password = 'redis-test-password', extraArgs: readonly string[] = []): Promise<RedisServer> {
		if (spawnSync(BINARY, ['--version']).error) {
			throw new Error(`${BINARY} not found: install it (${installHint(['redis-server'])}) to run the RESP tests`);
		}
		const server = new RedisServer(await freePort(), password, extraArgs);
		onCleanup(() => server.stop());
		await server.run();
		return server;
	}

	/** Starts (again) on the same port. */
	async run(): Promise<void> {
		const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--requirepass', this.password, '--save', '', '--appendonly', 'no', '--dir', this.dir, ...this.extraArgs];
		const child = spawn(BINARY, args, {stdio: ['ignore', 'pipe', 'pipe']});
		this.child = child;
		let output = '';
		await new Promise<void>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${output.slice(-500)}`)), 10_000);
			const onData = (chunk: Buffer) => {
				output += chunk.toString();
				if (output.includes('Ready to accept connections')) {
					clearTimeout(timer);
					resolve();
				}
			};
			child.stdout!.on('data', onData);
			child.stderr!.on('data', onData);
			child.once('exit', code => {
				clearTimeout(timer);
				reject(new Error(`redis-server exited with ${code}: ${output.slice(-500)}`));
			});
		});
	}

	async stop(): Promise<void> {
		const child = this.child;
		this.child = undefined;
		if (!child || child.exitCode !== null) return;
		await new Promise<void>(resolve => {
			child.once('exit', () => resolve());
			child.kill('SIGKILL');
		});
	}

	/** An authenticated raw connection (for PUBLISH, RPUSH, MONITOR, CLIENT KILL). */
	async client(): Promise<RawResp> {
		const raw = await RawResp.connect(this.port);
		onCleanup(() => raw.close());
		const ok = await raw.command('AUTH', this.password);
		if (ok !== 'OK') throw new Error(`AUTH failed: ${JSON.stringify(ok)}`);
		return raw;
	}
}

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
		});
	});
}
