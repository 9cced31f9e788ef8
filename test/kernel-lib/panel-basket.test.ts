// The panel's basket requests: a basket view's reply is the library's BasketView of the same legs and settings, its
// backtest reply is the view's backtest with per-leg costs that add up, and bad leg lists are refused naming the field.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerPanelRequest, closePanelSession } from '../../kernel-lib/src/panel/handler';
import type { PanelReply } from '../../kernel-lib/src/protocol';
import { type Lab, openLab } from '../../kernel-lib/src/session/lab';
import { basketCsv } from './support/basketCsv';

const dataDir = mkdtempSync(path.join(tmpdir(), 'pairs-lab-panel-basket-'));
const bars = 800;
const legs = ['CUSDT', 'AUSDT', 'BUSDT'];
const basket = { legs, timeframe: '1m', window: 60 };
let lab: Lab;

const ask = async (request: unknown): Promise<PanelReply> => answerPanelRequest(JSON.stringify(request));

async function refused(request: unknown): Promise<{ message: string; field?: string }> {
  const reply = await ask(request);
  if (reply.ok) throw new Error(`expected a refusal of ${JSON.stringify(request)}, got ok`);
  return reply.error;
}

beforeAll(async () => {
  expect((await ask({ id: 'init', kind: 'init', dataDir })).ok).toBe(true);
  const imported = await ask({ id: 'csv', kind: 'importCsv', text: basketCsv(bars), timeframe: '1m' });
  expect(imported.ok && imported.kind === 'importCsv' && imported.data.rows).toBe(bars * 4);
  lab = await openLab({ dataDir });
});

afterAll(async () => {
  await lab.close();
  await closePanelSession();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('basket view replies', () => {
  it('sends the legs closes, spread, z and statistics of the library view, nulls for undefined z', async () => {
    for (const weights of ['johansen', 'eg'] as const) {
      const reply = await ask({ id: 'b', kind: 'basket', ...basket, weights });
      if (!reply.ok || reply.kind !== 'basket') throw new Error(JSON.stringify(reply));
      const view = await lab.basket(legs, { timeframe: '1m', window: 60, weights });
      const d = reply.data;
      expect(d.legs).toEqual(legs);
      expect(d.method).toBe(weights);
      expect(d.bars).toBe(view.time.length);
      expect(d.time).toEqual(Array.from(view.time));
      expect(d.close).toHaveLength(3);
      expect(d.close[1][10]).toBeCloseTo(view.basket.close[1][10], 8);
      expect(d.stats.weights[0]).toBe(1);
      d.stats.weights.forEach((w, i) => expect(w).toBeCloseTo(view.metrics.weights[i], 10));
      expect(d.stats.adfPValue).toBeCloseTo(view.metrics.adfPValue, 10);
      expect(d.stats.cointRejects).toBe(view.metrics.cointRejects);
      expect(d.zScore[0]).toBeNull();
      expect(d.zScore[d.zScore.length - 1]).toBeCloseTo(view.metrics.lastZ, 8);
      if (weights === 'johansen') expect(d.stats.cointPValue).toBeNull();
    }
  });

  it('backtests the basket: equity on every bar, leg fees adding up to the fees paid', async () => {
    const reply = await ask({ id: 'bt', kind: 'basketBacktest', ...basket, entry: 1.5, exit: 0.3, feeBps: 4, slippageBps: 2, funding: 'none', fills: 'bars' });
    if (!reply.ok || reply.kind !== 'basketBacktest') throw new Error(JSON.stringify(reply));
    const d = reply.data;
    const view = await lab.basket(legs, { timeframe: '1m', window: 60 });
    const direct = await view.backtest({ entry: 1.5, exit: 0.3 }, { feeBps: 4, slippageBps: 2, funding: 'none', fills: 'bars' });
    expect(d.metrics.trades).toBe(direct.metrics.trades);
    expect(d.metrics.trades).toBeGreaterThan(0);
    expect(d.equity).toHaveLength(d.time.length);
    expect(d.equity[d.equity.length - 1]).toBeCloseTo(direct.equity[direct.equity.length - 1], 4);
    expect(d.legFees).toHaveLength(3);
    expect(d.legFees.reduce<number>((s, f) => s + (f ?? 0), 0)).toBeCloseTo(d.costs.fees ?? NaN, 6);
    expect(d.barFills).toBeGreaterThan(0);
    expect(d.costNotes.join(' ')).toMatch(/Funding: none/);
  });
});

describe('basket refusals name the field and what to do', () => {
  const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['a repeated leg', { legs: ['CUSDT', 'AUSDT', 'CUSDT'] }, 'legs[2]', /legs\[2\] repeats the string "CUSDT"; list each value once/],
    ['a leg outside the universe', { legs: ['CUSDT', 'AUSDT', 'NOPEUSDT'] }, 'legs[2]', /not in the universe .*add it with setUniverse/],
    ['seven legs', { legs: ['AUSDT', 'BUSDT', 'CUSDT', 'DUSDT', 'EUSDT', 'FUSDT', 'GUSDT'] }, 'legs', /legs must have 2 to 6 items, not 7 \(a basket has 2 to 6 distinct legs\)/],
    ['one leg', { legs: ['AUSDT'] }, 'legs', /2 to 6 items, not 1/],
    ['a lower-case leg', { legs: ['AUSDT', 'busdt', 'CUSDT'] }, 'legs[1]', /upper-case symbol/],
    ['an unknown weights method', { weights: 'pca' }, 'weights', /weights must be one of johansen, eg/],
    ['a pair field', { y: 'AUSDT' }, 'y', /unknown field "y"/],
  ];
  it.each(cases)('refuses %s', async (_what, patch, field, message) => {
    const error = await refused({ id: 'r', kind: 'basket', ...basket, ...patch });
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
    expect(error.message).not.toMatch(/undefined/);
  });

  it('refuses a backtest whose exit is not below its entry', async () => {
    const error = await refused({ id: 'r', kind: 'basketBacktest', ...basket, entry: 1, exit: 1.5 });
    expect(error.field).toBe('exit');
  });

  it('says when the legs share too few bars for the window', async () => {
    const error = await refused({ id: 'r', kind: 'basket', ...basket, window: 5000 });
    expect(error.message).toMatch(/share 800 1m bars: the basket needs at least 5000/);
  });
});
