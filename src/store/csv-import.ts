import type { CsvIssue, ImportResult } from './types';

export class CsvImportError extends Error {
  constructor(readonly issues: CsvIssue[]) {
    super(issues.map((i) => `line ${i.line}, column ${i.column}: ${i.reason}`).join('\n'));
    this.name = 'CsvImportError';
  }
}

/** Validates the whole CSV (`timestamp,symbol,open,high,low,close,volume`) first; writes nothing unless every row is valid. */
export async function importBarsCsv(dir: string, csv: string, opts: { timeframe: string }): Promise<ImportResult> {
  throw new Error(`importBarsCsv(${dir}, ${csv.length} chars, ${opts.timeframe}): not implemented yet`);
}
