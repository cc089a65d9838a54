import type { CoreMigrationReport } from './migrate-core';

/** The report printed at the end of a run: counts, totals and mismatches by id — no PII. */
export function formatReport(report: CoreMigrationReport): string {
  const lines = ['Core migration: mainframe core files → account System API ledger', ''];
  if (report.loads) {
    lines.push('Moved (this run / already there from an earlier run / unloaded):');
    for (const load of report.loads) {
      lines.push(
        `  ${load.table.padEnd(24)} ${String(load.moved).padStart(8)} ${String(load.alreadyThere).padStart(8)} ${String(load.unloaded).padStart(8)}`,
      );
    }
    lines.push('');
  }
  const { verification } = report;
  lines.push('Rows (core / ledger):');
  for (const count of verification.counts) {
    lines.push(`  ${`${count.coreFile} → ${count.ledgerTable}`.padEnd(48)} ${String(count.core).padStart(8)} ${String(count.ledger).padStart(8)}`);
  }
  lines.push('', `Accounts checked: ${verification.accountsChecked}`, 'Totals in minor units (core / ledger):');
  for (const total of verification.totals) {
    lines.push(`  ${total.currency} balances ${total.coreBalances} / ${total.ledgerBalances}, history ${total.coreHistory} / ${total.ledgerHistory}`);
  }
  lines.push('');
  if (verification.mismatches.length === 0) {
    lines.push('Verified: the ledger matches the core.');
  } else {
    lines.push(`NOT VERIFIED: ${verification.mismatches.length} mismatch(es):`, ...verification.mismatches.map((mismatch) => `  - ${mismatch}`));
  }
  return `${lines.join('\n')}\n`;
}
