import type { PairStrategy, PortfolioPair } from '../../src/backtest';
import { makePair, rng } from './helpers';

/** Closes per symbol on one grid; each bar opens at the previous close. */
export type Universe = Record<string, number[]>;

export function pairOf(u: Universe, y: string, x: string, strategy: PairStrategy): PortfolioPair {
  const open = (c: number[]) => c.map((v, i) => (i > 0 ? c[i - 1] : v));
  return { y, x, strategy, bars: makePair({ yOpen: open(u[y]), yClose: u[y], xOpen: open(u[x]), xClose: u[x] }) };
}

/**
 * Six symbols over n bars: A, C, E, F independent random walks; B = 2·A + 10 + AR(1) noise and D = 0.5·C + 20 + AR(1)
 * noise, so B/A and D/C are cointegrated and no other pair is.
 */
export function cointegratedUniverse(n: number, seed: number): Universe {
  const r = rng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
  const walk = (start: number) => {
    const out: number[] = [];
    let v = start;
    for (let i = 0; i < n; i++) out.push((v *= 1 + 0.002 * gauss()));
    return out;
  };
  const tied = (base: number[], beta: number, c: number, scale: number) => {
    let e = 0;
    return base.map((v) => {
      e = 0.8 * e + scale * gauss();
      return beta * v + c + e;
    });
  };
  const A = walk(100);
  const C = walk(50);
  return { A, B: tied(A, 2, 10, 0.5), C, D: tied(C, 0.5, 20, 0.1), E: walk(80), F: walk(120) };
}

export const rollingStrategy: PairStrategy = { entry: 1.5, exit: 0.25, stop: 4, window: 60, hedge: { kind: 'rolling', estimator: 'ols', window: 200, every: 5 } };
