import {Text} from 'ink';
import {padCell, type FittedTable} from '../column-fit.js';

/** A fitted table's header and rows, one line each, one space between columns. */
export function FittedTableLines({table}: {table: FittedTable}) {
	return (
		<>
			<Text bold wrap="truncate-end">
				{table.columns.map(c => padCell(c.key, c)).join(' ')}
			</Text>
			{table.rows.map((row, r) => (
				<Text key={r} wrap="truncate-end">
					{row.map((cell, i) => (
						<Text key={table.columns[i]!.key} color={cell.color === 'gray' ? undefined : cell.color} dimColor={cell.color === 'gray'}>
							{padCell(cell.text, table.columns[i]!)}
							{i < row.length - 1 ? ' ' : ''}
						</Text>
					))}
				</Text>
			))}
		</>
	);
}
