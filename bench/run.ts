// `npm run bench`: runs every `*.bench.js` module next to this file (or those named on the command line),
// prints a table and writes bench/results.json. Benchmarks marked explicitOnly (the 2 h soak) run only when named;
// `--name value` arguments are options for the benchmarks (e.g. `npm run bench -- soak --soak-minutes 15`).
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Benchmark, type BenchOptions, type BenchResult, meetsTarget } from './harness';

const projectRoot = path.resolve(__dirname, '..', '..');

async function loadBenchmarks(filter: string[]): Promise<Benchmark[]> {
  const files = readdirSync(__dirname).filter((f) => f.endsWith('.bench.js')).sort();
  const all: Benchmark[] = [];
  for (const file of files) {
    const mod = (await import(path.join(__dirname, file))) as { benchmarks?: Benchmark[] };
    all.push(...(mod.benchmarks ?? []));
  }
  if (!filter.length) return all.filter((b) => !b.explicitOnly);
  // An argument that names a group selects that group; any other argument selects benchmarks whose name contains it.
  const groups = new Set(all.map((b) => b.group));
  return all.filter((b) => filter.some((f) => (groups.has(f) ? b.group === f : b.name.includes(f))));
}

function formatTarget(r: BenchResult): string {
  return r.target ? `${r.target.kind === 'max' ? '≤' : '≥'} ${r.target.value}` : '';
}

/** Splits the command line into name filters and `--name value` / `--name=value` options. */
function parseCommandLine(args: string[]): { filter: string[]; options: BenchOptions } {
  const filter: string[] = [];
  const options = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('--')) { filter.push(a); continue; }
    const eq = a.indexOf('=');
    if (eq > 0) options.set(a.slice(2, eq), a.slice(eq + 1));
    else if (i + 1 < args.length) options.set(a.slice(2), args[++i]);
    else throw new Error(`${a} needs a value`);
  }
  return { filter, options };
}

async function main(): Promise<void> {
  const { filter, options } = parseCommandLine(process.argv.slice(2));
  const benchmarks = await loadBenchmarks(filter);
  const results: BenchResult[] = [];
  for (const b of benchmarks) {
    process.stderr.write(`[bench] ${b.group} / ${b.name} ...\n`);
    try {
      const m = await b.run(options);
      results.push({ group: b.group, name: b.name, ...m, target: b.target, pass: meetsTarget(b, m.value) });
    } catch (err) {
      results.push({ group: b.group, name: b.name, value: NaN, unit: '', target: b.target, pass: false, error: err instanceof Error ? err.message : String(err) });
    }
  }
  const rows = results.map((r) => [r.group, r.name, Number.isFinite(r.value) ? r.value.toPrecision(4) : 'error', r.unit, formatTarget(r), r.pass === undefined ? '' : r.pass ? 'ok' : 'MISS', r.error ?? r.detail ?? '']);
  const header = ['group', 'benchmark', 'value', 'unit', 'target', '', 'detail'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
  const out = path.join(projectRoot, 'bench', 'results.json');
  writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), node: process.version, results }, null, 2)}\n`);
  console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
