// The panel request handler refuses every malformed request with an error naming the field, and treats hostile
// strings in any field as data: nothing is evaluated, interpolated into SQL, or allowed to change the store.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerPanelRequest, closePanelSession } from '../../kernel-lib/src/panel/handler';
import type { PanelReply } from '../../kernel-lib/src/protocol';

const dataDir = mkdtempSync(path.join(tmpdir(), 'pairs-lab-refusals-'));
const sampleCsv = readFileSync(path.join(__dirname, '..', '..', 'notebooks', 'data', 'sample-bars-1m.csv'), 'utf8');

const ask = async (request: unknown): Promise<PanelReply> => answerPanelRequest(typeof request === 'string' ? request : JSON.stringify(request));
const pair = { y: 'ALPHAUSDT', x: 'BETAUSDT', timeframe: '1m' };

async function refused(request: unknown): Promise<{ message: string; field?: string }> {
  const reply = await ask(request);
  if (reply.ok) throw new Error(`expected a refusal of ${JSON.stringify(request)}, got ok`);
  return reply.error;
}

beforeAll(async () => {
  const init = await ask({ id: 'init', kind: 'init', dataDir });
  expect(init.ok).toBe(true);
  const imported = await ask({ id: 'csv', kind: 'importCsv', text: sampleCsv, timeframe: '1m' });
  expect(imported.ok && imported.kind === 'importCsv' && imported.data.rows).toBe(4320);
});

afterAll(async () => {
  await closePanelSession();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('refusals name what was wrong', () => {
  const cases: Array<[string, unknown, string | undefined, RegExp]> = [
    ['not JSON', '{"id": "a", kind: snapshot}', undefined, /not valid JSON/],
    ['an array', '[1, 2]', undefined, /must be a JSON object/],
    ['a JSON string', '"snapshot"', undefined, /must be a JSON object/],
    ['no id', { kind: 'config' }, 'id', /missing field id/],
    ['a numeric id', { id: 7, kind: 'config' }, 'id', /id must be a string/],
    ['an empty id', { id: '', kind: 'config' }, 'id', /1 to 200 characters/],
    ['no kind', { id: 'a' }, 'kind', /kind must be one of/],
    ['an unknown kind', { id: 'a', kind: 'deleteEverything' }, 'kind', /kind must be one of init, config/],
    ['an unknown field', { id: 'a', kind: 'config', verbose: true }, 'verbose', /unknown field "verbose"; allowed fields: id, kind$/],
    ['an unknown nested field', { id: 'a', kind: 'snapshot', ...pair, alerts: { zScore: 2, sound: 'beep' } }, 'alerts.sound', /unknown field "sound" in alerts/],
    ['a missing required field', { id: 'a', kind: 'snapshot', y: 'ALPHAUSDT', x: 'BETAUSDT' }, 'timeframe', /missing field timeframe/],
    ['a string for a number', { id: 'a', kind: 'snapshot', ...pair, window: '60' }, 'window', /window must be a finite number, not the string "60"/],
    ['a fractional window', { id: 'a', kind: 'snapshot', ...pair, window: 60.5 }, 'window', /whole number/],
    ['a window below range', { id: 'a', kind: 'snapshot', ...pair, window: 1 }, 'window', /between 2 and 100000, not 1/],
    ['a window above range', { id: 'a', kind: 'snapshot', ...pair, window: 1e9 }, 'window', /between 2 and 100000/],
    ['a negative sinceSeq', { id: 'a', kind: 'snapshot', ...pair, sinceSeq: -1 }, 'sinceSeq', /between 0 and/],
    ['a z threshold above range', { id: 'a', kind: 'snapshot', ...pair, alerts: { zScore: 25 } }, 'alerts.zScore', /between 0 and 20/],
    ['a correlation floor out of range', { id: 'a', kind: 'snapshot', ...pair, alerts: { minCorrelation: 1.5 } }, 'alerts.minCorrelation', /between -1 and 1/],
    ['a null', { id: 'a', kind: 'snapshot', ...pair, hedge: null }, 'hedge', /must be a string, not null/],
    ['an unknown hedge method', { id: 'a', kind: 'snapshot', ...pair, hedge: 'magic' }, 'hedge', /one of ols, huber, kalman/],
    ['a bad timeframe', { id: 'a', kind: 'snapshot', ...pair, timeframe: '1 minute' }, 'timeframe', /a bar length such as 1s/],
    ['a zero timeframe', { id: 'a', kind: 'snapshot', ...pair, timeframe: '0s' }, 'timeframe', /bar length/],
    ['a symbol not in the universe', { id: 'a', kind: 'snapshot', ...pair, y: 'NOPEUSDT' }, 'y', /not in the universe \(ALPHAUSDT, BETAUSDT, GAMMAUSDT\); add it with setUniverse/],
    ['a lower-case symbol', { id: 'a', kind: 'snapshot', ...pair, x: 'betausdt' }, 'x', /upper-case symbol/],
    ['the same symbol twice', { id: 'a', kind: 'snapshot', ...pair, x: 'ALPHAUSDT' }, 'x', /x must differ from y/],
    ['from after to', { id: 'a', kind: 'snapshot', ...pair, from: 2000, to: 1000 }, 'from', /must be before to/],
    ['exit at entry', { id: 'a', kind: 'backtest', ...pair, entry: 2, exit: 2 }, 'exit', /exit \(2\) must be below entry \(2\)/],
    ['stop inside entry', { id: 'a', kind: 'backtest', ...pair, entry: 2, exit: 0.5, stop: 1.5 }, 'stop', /stop \(1.5\) must be above entry/],
    ['negative fees', { id: 'a', kind: 'backtest', ...pair, entry: 2, exit: 0.5, feeBps: -1 }, 'feeBps', /between 0 and 1000/],
    ['an unknown sizing', { id: 'a', kind: 'backtest', ...pair, entry: 2, exit: 0.5, sizing: 'yolo' }, 'sizing', /one of dollarNeutral/],
    ['no strategy', { id: 'a', kind: 'backtest', ...pair }, 'entry', /missing field entry/],
    ['an unknown fill model', { id: 'a', kind: 'backtest', ...pair, entry: 2, exit: 0.5, fills: 'mid' }, 'fills', /one of quotes, bars/],
    ['an unknown funding model', { id: 'a', kind: 'backtest', ...pair, entry: 2, exit: 0.5, funding: 'given' }, 'funding', /one of recorded, none/],
    ['an empty grid list', { id: 'a', kind: 'paramSearch', ...pair, grid: { entry: [], exit: [0.5] } }, 'grid.entry', /1 to 100 items, not 0/],
    ['a repeated grid value', { id: 'a', kind: 'paramSearch', ...pair, grid: { entry: [2, 2], exit: [0.5] } }, 'grid.entry[1]', /repeats/],
    ['a grid with no valid exit', { id: 'a', kind: 'paramSearch', ...pair, grid: { entry: [1, 2], exit: [2, 3] } }, 'grid.exit', /no value below any grid.entry/],
    ['a grid too large', { id: 'a', kind: 'paramSearch', ...pair, grid: { entry: Array.from({ length: 100 }, (_, i) => 1 + i / 100), exit: Array.from({ length: 60 }, (_, i) => i / 100) } }, 'grid', /6000 combinations; at most 5000/],
    ['an unknown validation mode', { id: 'a', kind: 'paramSearch', ...pair, grid: { entry: [2], exit: [0.5] }, validation: { mode: 'peek' } }, 'validation.mode', /one of trainTest, walkForward/],
    ['too many folds', { id: 'a', kind: 'paramSearch', ...pair, grid: { entry: [2], exit: [0.5] }, validation: { mode: 'walkForward', folds: 500 } }, 'validation.folds', /between 2 and 50/],
    ['a field of the other validation mode', { id: 'a', kind: 'paramSearch', ...pair, grid: { entry: [2], exit: [0.5] }, validation: { mode: 'trainTest', trainFraction: 0.7, folds: 3 } }, 'validation.folds', /unknown field "folds" in validation/],
    ['a universe of one', { id: 'a', kind: 'setUniverse', symbols: ['BTCUSDT'] }, 'symbols', /2 to 200 items, not 1/],
    ['a universe with a repeat', { id: 'a', kind: 'setUniverse', symbols: ['BTCUSDT', 'ETHUSDT', 'BTCUSDT'] }, 'symbols[2]', /repeats/],
    ['an unknown feed source', { id: 'a', kind: 'setFeedSource', source: 'nasdaq' }, 'source', /one of binance, simulated, none/],
    ['an empty CSV', { id: 'a', kind: 'importCsv', text: '', timeframe: '1m' }, 'text', /1 to 50000000 characters/],
    ['a trades export without a strategy', { id: 'a', kind: 'exportCsv', ...pair, what: 'trades' }, 'entry', /needs the strategy/],
    ['an unknown export', { id: 'a', kind: 'exportCsv', ...pair, what: 'secrets' }, 'what', /one of analytics, bars, trades/],
    ['a scan symbol outside the universe', { id: 'a', kind: 'scan', timeframe: '1m', symbols: ['ALPHAUSDT', 'ZZZUSDT'] }, 'symbols[1]', /not in the universe/],
    ['an alerts limit of zero', { id: 'a', kind: 'alerts', limit: 0 }, 'limit', /between 1 and 10000/],
  ];
  for (const [what, request, field, message] of cases) {
    it(`refuses ${what}`, async () => {
      const error = await refused(request);
      expect(error.message).toMatch(message);
      expect(error.field).toBe(field);
    });
  }

  it('echoes the id of a refused request when it can read it', async () => {
    const reply = await ask({ id: 'r-17', kind: 'snapshot', ...pair, window: 'sixty' });
    expect(reply).toMatchObject({ id: 'r-17', ok: false });
  });

  it('reports a CSV with bad lines line by line and imports nothing', async () => {
    const before = await ask({ id: 's', kind: 'symbols' });
    const csv = 'timestamp,symbol,open,high,low,close,volume\n2026-01-06T00:00:00Z,DELTAUSDT,1,2,0.5,1.5,10\n2026-01-06T00:01:00Z,DELTAUSDT,1,0.5,2,1.5,10\n2026-01-06T00:02:00Z,DELTAUSDT,x,2,0.5,1.5,10\n';
    const reply = await ask({ id: 'bad-csv', kind: 'importCsv', text: csv, timeframe: '1m', fileName: 'bad.csv' });
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.field).toBe('text');
    expect(reply.error.message).toMatch(/^bad\.csv: CSV import rejected, nothing was imported/);
    expect(reply.error.details?.map((d) => d.line)).toEqual([3, 4]);
    const after = await ask({ id: 's', kind: 'symbols' });
    expect(after).toEqual(before);
  });
});

describe('hostile strings are data', () => {
  const hostile = [
    `'; DROP TABLE ticks; --`,
    '" OR 1=1 --',
    '`${process.exit(1)}`',
    '${require("child_process").execSync("touch /tmp/pwned")}',
    'line one\nline two\r\n\u2028',
    "');await pairsLab.closePanelSession();('",
    '</script><script>alert(1)</script>',
    '\\u0000 \u0000 nul',
  ];

  it('echoes a hostile id exactly, in a reply that is valid JSON', async () => {
    for (const id of hostile) {
      const reply = await ask({ id, kind: 'config' });
      expect(reply.ok).toBe(true);
      expect(reply.id).toBe(id);
      expect(JSON.parse(JSON.stringify(reply))).toEqual(reply);
    }
  });

  it('refuses a hostile string in every constrained field, quoting it as data', async () => {
    const fields: Array<[Record<string, unknown>, string]> = [
      [{ kind: 'snapshot', ...pair }, 'y'], [{ kind: 'snapshot', ...pair }, 'x'], [{ kind: 'snapshot', ...pair }, 'timeframe'],
      [{ kind: 'snapshot', ...pair }, 'hedge'], [{ kind: 'backtest', ...pair, entry: 2, exit: 0.5 }, 'fillAt'],
      [{ kind: 'backtest', ...pair, entry: 2, exit: 0.5 }, 'sizing'], [{ kind: 'paramSearch', ...pair, grid: { entry: [2], exit: [0.5] } }, 'objective'],
      [{ kind: 'exportCsv', ...pair }, 'what'], [{ kind: 'setFeedSource' }, 'source'], [{ kind: 'importCsv', text: 'x' }, 'timeframe'],
      [{ kind: 'alerts' }, 'y'], [{ kind: 'snapshot', ...pair }, 'window'], [{ kind: 'scan' }, 'timeframe'],
      [{ kind: 'paramSearch', ...pair, grid: { entry: [2], exit: [0.5] } }, 'validation'], [{ kind: 'snapshot', ...pair }, 'alerts'],
    ];
    for (const value of hostile) {
      for (const [base, field] of fields) {
        const error = await refused({ id: 'h', ...base, [field]: value });
        expect(error.field, `${field} = ${JSON.stringify(value)}`).toBe(field);
        expect(error.message).toContain(JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value));
      }
      const kindError = await refused({ id: 'h', kind: value });
      expect(kindError.field).toBe('kind');
      const keyError = await refused({ id: 'h', kind: 'config', [value]: 1 });
      expect(keyError.field).toBe(value);
      const universeError = await refused({ id: 'h', kind: 'setUniverse', symbols: ['ALPHAUSDT', value] });
      expect(universeError.field).toBe('symbols[1]');
      const modeError = await refused({ id: 'h', kind: 'paramSearch', ...pair, grid: { entry: [2], exit: [0.5] }, validation: { mode: value } });
      expect(modeError.field).toBe('validation.mode');
      const gridError = await refused({ id: 'h', kind: 'paramSearch', ...pair, grid: { entry: [2, value], exit: [0.5] } });
      expect(gridError.field).toBe('grid.entry[1]');
    }
  });

  it('takes a hostile file name and hostile CSV cells as data: the import is refused by line, the store unchanged', async () => {
    const before = await ask({ id: 's', kind: 'symbols' });
    for (const value of hostile) {
      const cell = `"${value.replace(/"/g, '""')}"`;
      const csv = `timestamp,symbol,open,high,low,close,volume\n2026-01-06T00:00:00Z,${cell},1,2,0.5,1.5,10\n2026-01-06T00:01:00Z,OKUSDT,${cell},2,0.5,1.5,10\n`;
      const reply = await ask({ id: value, kind: 'importCsv', text: csv, timeframe: '1m', fileName: value });
      expect(reply.ok).toBe(false);
      if (reply.ok) continue;
      expect(reply.id).toBe(value);
      // Both rows are refused (a newline inside a cell splits it over more lines, each refused too).
      const lines = reply.error.details?.map((d) => d.line) ?? [];
      expect(lines[0]).toBe(2);
      expect(lines.length).toBeGreaterThanOrEqual(2);
    }
    expect(await ask({ id: 's', kind: 'symbols' })).toEqual(before);
    // The store still answers normally afterwards.
    const snap = await ask({ id: 'after', kind: 'snapshot', ...pair });
    expect(snap.ok && snap.kind === 'snapshot' && snap.data.series.time.length).toBe(1440);
  });

  it('opens a store whose directory name is hostile as a plain path', async () => {
    const base = mkdtempSync(path.join(tmpdir(), 'pairs-lab-hostile-'));
    const dir = path.join(base, `it's "odd"; DROP TABLE ticks; --`);
    const reply = await ask({ id: 'i2', kind: 'init', dataDir: dir });
    expect(reply.ok && reply.kind === 'init' && reply.data.dataDir).toBe(dir);
    const imported = await ask({ id: 'c2', kind: 'importCsv', text: sampleCsv, timeframe: '1m' });
    expect(imported.ok).toBe(true);
    const symbols = await ask({ id: 's2', kind: 'symbols' });
    expect(symbols.ok && symbols.kind === 'symbols' && symbols.data.symbols.map((s) => s.symbol)).toEqual(['ALPHAUSDT', 'BETAUSDT', 'GAMMAUSDT']);
    // Every hostile string as a folder name: opened as that path, or refused as a path (NUL), never run.
    for (const value of hostile) {
      const odd = path.join(base, value.replace(/\//g, '_'));
      const opened = await ask({ id: 'odd', kind: 'init', dataDir: odd });
      if (opened.ok) expect(opened.kind === 'init' && opened.data.dataDir).toBe(odd);
      else expect(value).toContain('\u0000');
      // A folder that cannot be opened leaves the session where it was.
      const after = await ask({ id: 'after', kind: 'config' });
      expect(after.ok && after.kind === 'config' && after.data.dataDir).toBe(opened.ok ? odd : path.join(base, `it's "odd"; DROP TABLE ticks; --`));
    }
    await ask({ id: 'back', kind: 'init', dataDir });
    rmSync(base, { recursive: true, force: true });
  });
});
