import {Text} from 'ink';
import {memo} from 'react';
import type {AccountView} from '../../core/quota/account-view.js';
import {PERIOD_LABELS, type Period} from '../../core/time/periods.js';
import {accountTable, type AccountCell, type AccountColumn} from '../account-table.js';
import {Panel} from './panel.js';

const pad = (text: string, c: AccountColumn) => {
	const fill = ' '.repeat(Math.max(0, c.width - [...text].length));
	return c.align === 'right' ? fill + text : text + fill;
};

/** Every credential CPA serves from: who, what, its state, its tightest official windows, the period's requests, failures and cost. */
export const AccountsPanel = memo(function AccountsPanel({accounts, period, rows, width, now, height}: {accounts: readonly AccountView[]; period: Period; rows: number; width: number; now: number; height?: number}) {
	const inner = width - 4;
	// The header takes a row; so does "… N more" when accounts are cut and there are rows for both.
	const cut = accounts.length > rows - 1;
	const more = cut && rows >= 3;
	const table = accountTable(accounts, inner, Math.max(0, more ? rows - 2 : rows - 1), now);
	const cooling = accounts.filter(a => a.state === 'cooling_down').length;
	const title = `Accounts · ${PERIOD_LABELS[period]} · ${accounts.length}${cooling > 0 ? ` · ${cooling} cooling down` : ''}`;
	return (
		<Panel title={title} width={width} accent="cyan" height={height}>
			{accounts.length === 0 ? (
				<Text dimColor wrap="truncate-end">
					No accounts yet: they appear with the first requests and CPA&apos;s /auth-files listing.
				</Text>
			) : (
				<>
					<Text bold wrap="truncate-end">
						{table.columns.map(c => pad(c.key, c)).join(' ')}
					</Text>
					{table.rows.map((row, r) => (
						<Text key={accounts[r]!.authIndex} wrap="truncate-end">
							{row.map((cell: AccountCell, i) => (
								<Text key={table.columns[i]!.key} color={cell.color === 'gray' ? undefined : cell.color} dimColor={cell.color === 'gray'}>
									{pad(cell.text, table.columns[i]!)}
									{i < row.length - 1 ? ' ' : ''}
								</Text>
							))}
						</Text>
					))}
					{more ? (
						<Text dimColor wrap="truncate-end">
							… {table.hidden} more (cliproxy-usage accounts)
						</Text>
					) : null}
				</>
			)}
		</Panel>
	);
});
