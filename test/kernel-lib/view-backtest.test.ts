// A pair view and its backtest agree: the backtest trades on exactly the hedge ratio and z-score the view shows,
// for every hedge method, and the Kalman filter's price-scaled defaults recover the synthetic pair's true β.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Lab, openLab } from '../../kernel-lib/src/session/lab';
import type { HedgeMethod } from '../../kernel-lib/src/protocol';

const dir = mkdtempSync(path.join(tmpdir(), 'pairs-lab-view-backtest-'));
let lab: Lab;
beforeAll(async () => {
  lab = await openLab({ dataDir: dir });
  await lab.importCsvFile(path.join(__dirname, '..', '..', 'notebooks', 'data', 'sample-bars-1m.csv'), { timeframe: '1m' });
});
afterAll(async () => {
  await lab.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('view and backtest', () => {
  for (const hedge of ['ols', 'huber', 'kalman'] as HedgeMethod[]) {
    it(`trade on the series the view shows (${hedge})`, async () => {
      const view = await lab.pair('ALPHAUSDT', 'BETAUSDT', { timeframe: '1m', window: 60, hedge, hedgeWindow: 480 });
      const report = (await view.backtest({ entry: 2, exit: 0.5 })) as Awaited<ReturnType<typeof view.backtest>> & { signals: { hedgeRatio: Float64Array; z: Float64Array } };
      const same = (got: Float64Array, want: Float64Array) => want.forEach((w, i) => {
        if (Number.isNaN(w)) expect(got[i]).toBeNaN();
        else expect(got[i]).toBeCloseTo(w, 9);
      });
      same(report.signals.hedgeRatio, view.series.hedgeRatio);
      same(report.signals.z, view.series.zScore);
      // ALPHA = 2.5·BETA + 40 + noise: every method ends near the true β.
      expect(Math.abs(view.metrics.hedgeRatio - 2.5)).toBeLessThan(0.3);
    });
  }
});
