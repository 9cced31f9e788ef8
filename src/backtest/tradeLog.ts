/**
 * Closed trades kept as rows of one growable Float64Array: a run with tens of thousands of trades
 * allocates no objects for them (which would cost more in garbage collection than the run itself);
 * `toTrades` builds the `Trade` records when someone reads them.
 */
import type { OpenPosition } from './fills';
import type { ExitReason, Trade } from './types';

const REASONS: readonly ExitReason[] = ['exit', 'stop', 'maxHolding', 'end'];
const STRIDE = 18;

export class TradeLog {
  private rows = new Float64Array(STRIDE * 64);
  private n = 0;

  get count(): number {
    return this.n;
  }

  /** Records the position `pos` just closed on bar `exitBar` (exit fields already set by `closePosition`). */
  push(pos: OpenPosition, exitBar: number, reason: ExitReason, exitZ: number): void {
    if ((this.n + 1) * STRIDE > this.rows.length) {
      const grown = new Float64Array(this.rows.length * 2);
      grown.set(this.rows);
      this.rows = grown;
    }
    const r = this.rows;
    const o = this.n * STRIDE;
    r[o] = pos.side;
    r[o + 1] = pos.entryBar;
    r[o + 2] = exitBar;
    r[o + 3] = pos.entryZ;
    r[o + 4] = exitZ;
    r[o + 5] = pos.beta;
    r[o + 6] = pos.qY;
    r[o + 7] = pos.qX;
    r[o + 8] = pos.eY;
    r[o + 9] = pos.eX;
    r[o + 10] = pos.xY;
    r[o + 11] = pos.xX;
    r[o + 12] = pos.entryFee + pos.exitFee;
    r[o + 13] = pos.funding;
    r[o + 14] = pos.pnl;
    r[o + 15] = REASONS.indexOf(reason);
    r[o + 16] = pos.spreadCost;
    r[o + 17] = pos.slippage;
    this.n++;
  }

  /** The trades as records; `time` is the pair's full time axis (bars are indices into it). */
  toTrades(time: Float64Array): Trade[] {
    const r = this.rows;
    const out: Trade[] = [];
    for (let i = 0; i < this.n; i++) {
      const o = i * STRIDE;
      const entryBar = r[o + 1] | 0;
      const exitBar = r[o + 2] | 0;
      out.push({
        side: r[o] === 1 ? 'long' : 'short',
        entryBar,
        exitBar,
        entryTime: time[entryBar],
        exitTime: time[exitBar],
        entryZ: r[o + 3],
        exitZ: r[o + 4],
        hedgeRatio: r[o + 5],
        qtyY: r[o + 6],
        qtyX: r[o + 7],
        entryPriceY: r[o + 8],
        entryPriceX: r[o + 9],
        exitPriceY: r[o + 10],
        exitPriceX: r[o + 11],
        fees: r[o + 12],
        spreadCost: r[o + 16],
        slippage: r[o + 17],
        funding: r[o + 13],
        pnl: r[o + 14],
        holdingBars: exitBar - entryBar,
        holdingMs: time[exitBar] - time[entryBar],
        exitReason: REASONS[r[o + 15] | 0],
      });
    }
    return out;
  }
}
