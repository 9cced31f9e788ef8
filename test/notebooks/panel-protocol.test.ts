// The panel's transport, end to end in a real tslab kernel: after `import * as pairsLab from 'pairs-lab'`, each
// `await pairsLab.handlePanelRequest(<JSON string literal>)` answers with exactly one display_data of the reply MIME
// type and nothing else (no stdout, no stderr, no second display), for good and bad requests alike.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPLY_MIME, type PanelReply, type PanelRequest } from '../../kernel-lib/src/protocol';
import { type NotebookCell, root, runNotebook } from './run-notebook';
import { KernelChangedError, kernelFailure } from '../../extension/src/kernelErrors';

// Inside the project, so the kernel resolves `pairs-lab` from node_modules like a notebook in notebooks/ does.
mkdirSync(path.join(root, 'tmp'), { recursive: true });
const work = mkdtempSync(path.join(root, 'tmp', 'panel-protocol-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const csv = readFileSync(path.join(root, 'notebooks', 'data', 'sample-bars-1m.csv'), 'utf8');
const pair = { y: 'ALPHAUSDT', x: 'BETAUSDT', timeframe: '1m', window: 60 } as const;
/** The requests, as the panel sends them; the last two are refused. */
const requests: Array<PanelRequest | string> = [
  { id: 'init', kind: 'init' },
  { id: 'csv', kind: 'importCsv', text: csv, timeframe: '1m', fileName: 'sample-bars-1m.csv' },
  { id: 'snap-1', kind: 'snapshot', ...pair, alerts: { zScore: 2 } },
  // A fresh kernel numbers its first view's first state 1: the panel would send back the seq it received.
  { id: 'snap-2', kind: 'snapshot', ...pair, alerts: { zScore: 2 }, sinceSeq: 1 },
  { id: 'bt', kind: 'backtest', ...pair, entry: 2, exit: 0.5 },
  { id: 'health', kind: 'health' },
  '{"id": "bad-1", "kind": "snapshot", "y": "ALPHAUSDT", "x": "BETAUSDT", "timeframe": "1m", "window": "60`${process.exit(3)}`"}',
  '{"id": "bad-2", "kind": "snapshot", ',
];

function notebook(): string {
  const code = (source: string, i: number): NotebookCell & { id: string; metadata: object } => ({
    cell_type: 'code', id: `c${i}`, metadata: {}, source, outputs: [], execution_count: null,
  });
  const cells = [
    code("import * as pairsLab from 'pairs-lab';", 0),
    ...requests.map((r, i) => code(`await pairsLab.handlePanelRequest(${JSON.stringify(typeof r === 'string' ? r : JSON.stringify(r))})`, i + 1)),
  ];
  const nb = { cells, metadata: { kernelspec: { name: 'pairs-lab', display_name: 'Pairs Lab (TypeScript)', language: 'typescript' } }, nbformat: 4, nbformat_minor: 5 };
  const file = path.join(work, 'panel-protocol.ipynb');
  writeFileSync(file, JSON.stringify(nb));
  return file;
}

describe('panel requests in a real tslab kernel', () => {
  it('answer each request with exactly one reply display and nothing else', async () => {
    const out = path.join(work, 'executed');
    const report = await runNotebook(notebook(), { PAIRS_LAB_DATA: path.join(work, 'data') }, out);
    expect(report.errors, JSON.stringify(report.errors, null, 1)).toEqual([]);
    const cells = (JSON.parse(readFileSync(path.join(out, 'panel-protocol.ipynb'), 'utf8')) as { cells: NotebookCell[] }).cells;
    expect(cells[0].outputs).toEqual([]);
    const replies = cells.slice(1).map((cell, i) => {
      expect(cell.outputs, `request ${i}`).toHaveLength(1);
      const output = cell.outputs![0];
      expect(output.output_type).toBe('display_data');
      expect(Object.keys(output.data ?? {})).toEqual([REPLY_MIME]);
      return output.data![REPLY_MIME] as PanelReply;
    });
    expect(replies.map((r) => r.id)).toEqual(['init', 'csv', 'snap-1', 'snap-2', 'bt', 'health', 'bad-1', '']);
    const [init, imported, snap1, snap2, bt, health, bad1, bad2] = replies;
    expect(init.ok && init.kind === 'init' && init.data.dataDir).toBe(path.join(work, 'data'));
    expect(imported.ok && imported.kind === 'importCsv' && imported.data.rows).toBe(4320);
    if (!snap1.ok || snap1.kind !== 'snapshot' || !snap2.ok || snap2.kind !== 'snapshot') throw new Error(`snapshots failed: ${JSON.stringify([snap1, snap2]).slice(0, 500)}`);
    expect(snap1.seq).toBe(1);
    expect(snap1.data.full).toBe(true);
    expect(snap1.data.series.time).toHaveLength(1440);
    expect(snap1.data.metrics.adfPValue).toBeLessThan(0.05);
    // Nothing new arrived: the incremental reply carries no bars, and is small.
    expect(snap2.data.full).toBe(false);
    expect(snap2.data.series.time).toEqual([]);
    expect(JSON.stringify(snap2).length).toBeLessThan(10_000);
    expect(bt.ok && bt.kind === 'backtest' && bt.data.metrics.trades).toBeGreaterThan(0);
    expect(health.ok && health.kind === 'health' && health.data.state).toBe('idle');
    expect(bad1).toMatchObject({ ok: false, error: { field: 'window' } });
    expect(bad2.ok).toBe(false);
    if (!bad2.ok) expect(bad2.error.message).toMatch(/not valid JSON/);
  }, 120_000);
});

describe('a panel request sent to a kernel without the library loaded (a fresh kernel after a restart)', () => {
  it('fails with tslab\'s diagnostic on stderr, which the panel turns into a retry, not an "undefined" error', async () => {
    const file = path.join(work, 'no-import.ipynb');
    const cell = { cell_type: 'code', id: 'c0', metadata: {}, outputs: [], execution_count: null, source: `await pairsLab.handlePanelRequest(${JSON.stringify(JSON.stringify({ id: 'h', kind: 'health' }))})` };
    writeFileSync(file, JSON.stringify({ cells: [cell], metadata: { kernelspec: { name: 'pairs-lab', display_name: 'Pairs Lab (TypeScript)', language: 'typescript' } }, nbformat: 4, nbformat_minor: 5 }));
    const report = await runNotebook(file, { PAIRS_LAB_DATA: path.join(work, 'data-no-import') }, path.join(work, 'executed-no-import'));
    // tslab sends no `error` message (its execute_reply has neither ename nor evalue): the reason is on stderr
    const stderr = report.errors.filter((e) => e.kind === 'stderr').map((e) => e.text).join('');
    expect(stderr).toMatch(/Cannot find name 'pairsLab'/);
    const failure = kernelFailure('health', stderr);
    expect(failure).toBeInstanceOf(KernelChangedError);
    expect(failure.message).not.toMatch(/undefined/);
  }, 120_000);
});
