/** Grid results as columns (for a table or data frame) and as a matrix a heat-map can be drawn from. */
import type { GridRow } from './grid';
import type { Metrics } from './types';

export type GridAxis = 'entry' | 'exit' | 'window' | 'stop';

/** Columnar grid results: parameters, then each metric in-sample (`is.`) and out-of-sample (`oos.`). */
export interface GridTable {
  entry: number[];
  exit: number[];
  window: number[];
  /** NaN = no stop. */
  stop: number[];
  hedge: string[];
  fold: number[];
  metrics: Record<string, number[]>;
}

export function gridTable(rows: readonly GridRow[], metrics: readonly (keyof Metrics)[] = ['sharpe', 'totalReturn', 'maxDrawdown', 'trades', 'winRate', 'feesPaid']): GridTable {
  const table: GridTable = { entry: [], exit: [], window: [], stop: [], hedge: [], fold: [], metrics: {} };
  for (const m of metrics) {
    table.metrics[`is.${m}`] = [];
    table.metrics[`oos.${m}`] = [];
  }
  for (const r of rows) {
    table.entry.push(r.entry);
    table.exit.push(r.exit);
    table.window.push(r.window);
    table.stop.push(r.stop ?? NaN);
    table.hedge.push(r.hedge);
    table.fold.push(r.fold);
    for (const m of metrics) {
      table.metrics[`is.${m}`].push(r.inSample[m]);
      table.metrics[`oos.${m}`].push(r.outOfSample ? r.outOfSample[m] : NaN);
    }
  }
  return table;
}

export interface HeatmapOptions {
  x: GridAxis;
  y: GridAxis;
  /** The cell value of one row, e.g. `(r) => r.outOfSample?.sharpe ?? NaN`. */
  value: (row: GridRow) => number;
  /** Rows sharing a cell (other parameters, folds) are combined by mean (default) or max, ignoring NaN. */
  combine?: 'mean' | 'max';
  filter?: (row: GridRow) => boolean;
}

/** `z[j][i]` is the value at `x[i]`, `y[j]` (Plotly's heat-map layout); NaN where no row falls. */
export interface Heatmap {
  x: number[];
  y: number[];
  z: number[][];
}

function axisValue(row: GridRow, axis: GridAxis): number {
  return axis === 'stop' ? (row.stop ?? NaN) : row[axis];
}

function sortedUnique(values: number[]): number[] {
  const out: number[] = [];
  for (const v of [...values].sort((a, b) => (Number.isNaN(a) ? 1 : Number.isNaN(b) ? -1 : a - b))) {
    if (out.length === 0 || !Object.is(out[out.length - 1], v)) out.push(v);
  }
  return out;
}

export function heatmap(rows: readonly GridRow[], opts: HeatmapOptions): Heatmap {
  const chosen = opts.filter ? rows.filter(opts.filter) : rows;
  const xs = sortedUnique(chosen.map((r) => axisValue(r, opts.x)));
  const ys = sortedUnique(chosen.map((r) => axisValue(r, opts.y)));
  const sum = ys.map(() => xs.map(() => 0));
  const count = ys.map(() => xs.map(() => 0));
  const best = ys.map(() => xs.map(() => -Infinity));
  const index = (values: number[], v: number): number => values.findIndex((u) => Object.is(u, v));
  for (const r of chosen) {
    const v = opts.value(r);
    if (Number.isNaN(v)) continue;
    const i = index(xs, axisValue(r, opts.x));
    const j = index(ys, axisValue(r, opts.y));
    sum[j][i] += v;
    count[j][i]++;
    if (v > best[j][i]) best[j][i] = v;
  }
  const z = ys.map((_, j) => xs.map((_, i) => (count[j][i] === 0 ? NaN : opts.combine === 'max' ? best[j][i] : sum[j][i] / count[j][i])));
  return { x: xs, y: ys, z };
}
