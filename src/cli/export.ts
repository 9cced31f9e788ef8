// `pairs-lab export`: copies closed, fully compacted UTC days of the store to a Parquet lake (a directory or S3).
import type { Command } from './commands';
import { parseArgs } from './record';
import { exportToLake, parseLakeUri } from '../lake';

export const exportUsage = `usage: pairs-lab export --lake DIR|s3://BUCKET/PREFIX [--data ./data] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
                        [--symbols BTCUSDT,ETHUSDT] [--s3-endpoint URL]

Exports every closed UTC day of the store in --data (default ./data) that compaction has merged into one file per
symbol to the lake: ticks/symbol=S/date=D/part-*.parquet, bars_1s/… and manifest.json. Days already exported are
skipped, so running it again exports nothing new; a day the store re-merged after late ticks replaces the old export.
  --from/--to    only days in this inclusive UTC range
  --symbols      only these symbols (comma-separated)
  --s3-endpoint  the S3 endpoint for s3:// lakes (default AWS_ENDPOINT_URL); credentials from AWS_ACCESS_KEY_ID and
                 AWS_SECRET_ACCESS_KEY, region from AWS_REGION (default us-east-1)`;

const SYMBOL = /^[A-Z0-9][A-Z0-9_-]{0,39}$/;

/** `--symbols A,B` as a checked list. */
export function symbolList(text: string): string[] {
  const list = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const bad = list.filter((s) => !SYMBOL.test(s));
  if (list.length === 0 || bad.length) throw new Error(`--symbols must be comma-separated upper-case symbols such as BTCUSDT,ETHUSDT; not valid: ${bad.join(', ') || '(empty)'}`);
  return list;
}

export const exportCommand: Command = {
  summary: 'export closed UTC days of the store to a Parquet lake on a path or S3',
  async run(args) {
    if (args.includes('--help') || args.includes('-h')) { process.stdout.write(`${exportUsage}\n`); return 0; }
    const { values } = parseArgs(args, { values: ['data', 'lake', 'from', 'to', 'symbols', 's3-endpoint'], flags: [] });
    const lake = values.get('lake');
    if (lake === undefined) throw new Error(`export needs --lake DIR or --lake s3://bucket/prefix\n\n${exportUsage}`);
    parseLakeUri(lake);
    const endpoint = values.get('s3-endpoint');
    const result = await exportToLake({
      data: values.get('data') ?? './data',
      lake,
      from: values.get('from'),
      to: values.get('to'),
      symbols: values.has('symbols') ? symbolList(values.get('symbols') as string) : undefined,
      ...(endpoint ? { s3: { endpoint } } : {}),
      onDay: (d, replaced) => process.stdout.write(`${replaced ? 're-exported' : 'exported'} ${d.symbol} ${d.date}: ${d.ticks.rows} ticks, ${d.bars1s.rows} 1 s bars -> ${d.ticks.path}\n`),
    });
    for (const f of result.failed) process.stderr.write(`not exported ${f.symbol} ${f.date}: ${f.error}\n`);
    const mb = result.bytes / 1e6;
    process.stdout.write(`${result.exported.length} symbol-days exported (${result.replaced} replaced, ${result.upToDate} already in the lake), ` +
      `${result.ticks} ticks, ${mb.toFixed(1)} MB in ${(result.durationMs / 1000).toFixed(1)} s` +
      `${result.deletedParts ? `; ${result.deletedParts} replaced parts deleted` : ''}\n`);
    return result.failed.length ? 1 : 0;
  },
};
