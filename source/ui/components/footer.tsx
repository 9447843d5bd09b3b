import {Text} from 'ink';

const KEYS: Array<[string, string]> = [
	['q', 'quit'],
	['r', 'collect now'],
	['p', 'period'],
	['s', 'sort'],
	['?', 'help'],
];

/** Key hints, as many as fit. */
export function Footer({width}: {width: number}) {
	let used = 0;
	const shown = KEYS.filter(([key, what]) => {
		const size = key.length + what.length + 3;
		if (used + size > width) return false;
		used += size;
		return true;
	});
	return (
		<Text wrap="truncate-end">
			{shown.map(([key, what]) => (
				<Text key={key}>
					<Text bold color="cyan">
						{key}
					</Text>
					<Text dimColor> {what}  </Text>
				</Text>
			))}
		</Text>
	);
}
