import {Text} from 'ink';
import {wrapLines} from '../alert-fit.js';
import {Panel} from './panel.js';

const LINES: Array<[string, string]> = [
	['q, Ctrl-C', 'quit (the database is closed cleanly)'],
	['r', 'collect now (one pass; joins a pass under way)'],
	['p', 'period: today → yesterday → 7 days → 30 days'],
	['s', 'sort models: cost → requests → tokens → model'],
	['?, Esc', 'close this help'],
];

/**
 * The keys, the estimate mark, and what is worth knowing about collection (the source and,
 * on RESP, the one-consumer trap), in at most `rows` lines, its border included.
 */
export function HelpOverlay({width, rows, notes}: {width: number; rows: number; notes: readonly string[]}) {
	const inner = Math.max(1, width - 4);
	const lines = [
		...LINES.map(([key, what]) => (
			<Text key={key} wrap="truncate-end">
				<Text bold color="cyan">
					{key.padEnd(10)}
				</Text>
				{what}
			</Text>
		)),
		<Text key="estimate" dimColor wrap="truncate-end">
			~ marks costs that include requests priced at the default price.
		</Text>,
		...notes.flatMap((note, i) =>
			wrapLines(note, inner).map((line, j) => (
				<Text key={`note:${i}:${j}`} wrap="truncate-end">
					{line}
				</Text>
			)),
		),
	];
	if (rows < 3) return null;
	return (
		<Panel title="Keys · collection" width={width} accent="cyan">
			{lines.slice(0, rows - 2)}
		</Panel>
	);
}
