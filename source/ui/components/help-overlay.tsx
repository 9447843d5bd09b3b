import {Text} from 'ink';
import {Panel} from './panel.js';

const LINES: Array<[string, string]> = [
	['q, Ctrl-C', 'quit (the database is closed cleanly)'],
	['r', 'collect now (one pass; joins a pass under way)'],
	['p', 'period: today → yesterday → 7 days → 30 days'],
	['s', 'sort models: cost → requests → tokens → model'],
	['?, Esc', 'close this help'],
];

export function HelpOverlay({width}: {width: number}) {
	return (
		<Panel title="Keys" width={width} accent="cyan">
			{LINES.map(([key, what]) => (
				<Text key={key} wrap="truncate-end">
					<Text bold color="cyan">
						{key.padEnd(10)}
					</Text>
					{what}
				</Text>
			))}
			<Text dimColor wrap="truncate-end">
				~ marks costs that include requests priced at the default price.
			</Text>
		</Panel>
	);
}
