// `pairs-lab import-csv` and `pairs-lab query`: CSV in and out of the store from the command line.
import { readFileSync } from 'node:fs';
import type { Command } from './commands';
import { CsvImportError, importBarsCsv, openStoreReader, toCsv } from '../store';

export const importCsvUsage = `usage: pairs-lab import-csv [--data ./data] [--timeframe 1m] FILE.csv [FILE.csv ...]

Imports OHLC bars (header: timestamp,symbol,open,high,low,close,volume; optional trades,vwap,timeframe) into the
store in --data (default ./data). Timestamps: ISO-8601 (UTC unless an offset is given) or epoch ms / s.
Each file is all-or-nothing: one bad row and nothing from that file is imported; every problem is listed as
line, column and reason. --timeframe is needed unless the file has a timeframe column.`;

export const queryUsage = `usage: pairs-lab query [--data ./data | --lake DIR|s3://BUCKET/PREFIX [--s3-endpoint URL]] "SQL"

Runs SQL over the store's views ticks, bars_uploaded, alerts, gaps, quotes, quotes_1s, mark and funding and prints
the result as CSV. With --lake, over the lake's views lake_ticks and lake_bars_1s (with symbol and date columns) instead.`;

/** `--data DIR`, `--timeframe TF` (also `--name=value`) and positional arguments. */
function parse(args: string[], allowed: string[]): { options: Map<string, string>; rest: string[] } {
  const options = new Map<string, string>();
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('--')) { rest.push(a); continue; }
    const [name, inline] = a.slice(2).split(/=(.*)/s, 2);
    if (!allowed.includes(name)) throw new Error(`unknown option "${a}"; expected ${allowed.map((n) => `--${n}`).join(', ')}`);
    const value = inline ?? args[++i];
    if (value === undefined) throw new Error(`--${name} needs a value`);
    options.set(name, value);
  }
  return { options, rest };
}

export const importCsvCommand: Command = {
  summary: 'import OHLC bars from CSV files into the store (all-or-nothing per file)',
  async run(args) {
    if (args.includes('--help') || args.includes('-h')) { process.stdout.write(`${importCsvUsage}\n`); return 0; }
    const { options, rest } = parse(args, ['data', 'timeframe']);
    if (rest.length === 0) { process.stderr.write(`${importCsvUsage}\n`); return 2; }
    const dir = options.get('data') ?? './data';
    let failed = 0;
    for (const file of rest) {
      try {
        const r = await importBarsCsv(dir, readFileSync(file, 'utf8'), { timeframe: options.get('timeframe') });
        const span = `${r.rows} bars of ${r.symbols.join(', ')} (${new Date(r.from).toISOString()} .. ${new Date(r.to).toISOString()})`;
        process.stdout.write(r.alreadyImported
          ? `${file}: already imported: the store holds exactly these ${span} in ${r.file}; nothing was added\n`
          : `${file}: imported ${span} into ${r.file}\n`);
      } catch (err) {
        failed++;
        const text = err instanceof CsvImportError || err instanceof Error ? err.message : String(err);
        process.stderr.write(`${file}: ${text}\n`);
      }
    }
    return failed ? 1 : 0;
  },
};

export const queryCommand: Command = {
  summary: 'run SQL over the store (ticks, bars_uploaded, alerts, gaps, quotes, quotes_1s, mark, funding) or a lake (--lake) and print CSV',
  async run(args) {
    if (args.includes('--help') || args.includes('-h')) { process.stdout.write(`${queryUsage}\n`); return 0; }
    const { options, rest } = parse(args, ['data', 'lake', 's3-endpoint']);
    if (rest.length !== 1) { process.stderr.write(`${queryUsage}\n`); return 2; }
    if (options.has('data') && options.has('lake')) throw new Error('give --data (a store) or --lake (a lake), not both');
    if (options.has('s3-endpoint') && !options.has('lake')) throw new Error('--s3-endpoint needs --lake s3://bucket/prefix');
    const lake = options.get('lake');
    const endpoint = options.get('s3-endpoint');
    const reader = lake !== undefined
      ? await (await import('../lake')).openLake(lake, endpoint ? { s3: { endpoint } } : {})
      : await openStoreReader({ dir: options.get('data') ?? './data' });
    try {
      process.stdout.write(toCsv(await reader.query(rest[0])));
    } finally {
      await reader.close();
    }
    return 0;
  },
};
