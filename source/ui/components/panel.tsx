import {Box, Text} from 'ink';
import type {ReactNode} from 'react';

/** A rounded box with its title set into the top border: `╭─ Title ─────╮`. */
export function Panel({title, width, children, accent, height}: {title: string; width: number; children: ReactNode; accent?: string; height?: number}) {
	const inner = Math.max(0, width - 2);
	const label = ` ${title} `.slice(0, Math.max(0, inner - 1));
	return (
		<Box flexDirection="column" width={width} flexShrink={0}>
			<Text dimColor>
				{'╭─'}
				<Text color={accent} dimColor={false} bold>
					{label}
				</Text>
				{'─'.repeat(Math.max(0, inner - 1 - label.length))}
				{'╮'}
			</Text>
			<Box borderStyle="round" borderTop={false} borderDimColor width={width} height={height === undefined ? undefined : height - 1} paddingX={1} flexDirection="column">
				{children}
			</Box>
		</Box>
	);
}
