import {execFileSync} from 'node:child_process';
import {onCleanup} from './temp.js';

let panes = 0;

/**
 * A detached tmux session on a private server (`tmux -L`), so no other session on the machine
 * (another engineer's, a user's) sees it or changes its size. Killed after the test.
 */
export class TmuxPane {
	private constructor(private readonly socket: string) {}

	static start(columns: number, rows: number, command: string, env: Record<string, string> = {}): TmuxPane {
		const pane = new TmuxPane(`cu-test-${process.pid}-${++panes}`);
		pane.tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'main', '-x', String(columns), '-y', String(rows), ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]), command);
		onCleanup(() => {
			try {
				pane.tmux('kill-server');
			} catch {
				// already gone
			}
		});
		return pane;
	}

	tmux(...args: string[]): string {
		return execFileSync('tmux', ['-L', this.socket, ...args], {encoding: 'utf8'});
	}

	/** The visible pane as text, trailing blank lines dropped. */
	capture(): string {
		return this.tmux('capture-pane', '-p', '-t', 'main').replace(/\n+$/, '');
	}

	resize(columns: number, rows: number): void {
		this.tmux('resize-window', '-t', 'main', '-x', String(columns), '-y', String(rows));
	}

	keys(...keys: string[]): void {
		this.tmux('send-keys', '-t', 'main', ...keys);
	}
}
