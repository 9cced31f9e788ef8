/** Filling both legs of an entry or an exit: sizing, slippage, fees and funding. */
import type { ExecutionSettings } from './types';

export interface Costs {
  feeRate: number;
  slip: number;
  notional: number;
  sizing: ExecutionSettings['sizing'];
}

export function costsOf(exec: ExecutionSettings): Costs {
  return {
    feeRate: (exec.liquidity === 'maker' ? exec.makerFeeBps : exec.takerFeeBps) / 1e4,
    slip: exec.slippageBps / 1e4,
    notional: exec.notionalPerLeg,
    sizing: exec.sizing,
  };
}

/** The position being held; quantities signed, prices are fills after slippage. */
export class OpenPosition {
  side = 0;
  qY = 0;
  qX = 0;
  eY = 0;
  eX = 0;
  entryBar = -1;
  beta = NaN;
  entryZ = NaN;
  entryFee = 0;
  funding = 0;
  xY = 0;
  xX = 0;
  exitFee = 0;
  pricePnl = 0;

  get pnl(): number {
    return this.pricePnl - this.entryFee - this.exitFee + this.funding;
  }
}

/** Fills an entry of direction `dir` (+1 long the spread) at raw prices; returns the fee paid. */
export function openPosition(pos: OpenPosition, c: Costs, dir: number, beta: number, fillY: number, fillX: number): number {
  const absY = c.notional / fillY;
  let absX: number;
  let dirX = beta >= 0 ? -dir : dir;
  if (c.sizing === 'dollarNeutral') {
    absX = c.notional / fillX;
    dirX = -dir;
  } else if (c.sizing === 'hedgeUnits') absX = Math.abs(beta) * absY;
  else absX = (Math.abs(beta) * c.notional) / fillX;
  pos.side = dir;
  pos.beta = beta;
  pos.qY = dir * absY;
  pos.qX = dirX * absX;
  pos.eY = fillY * (1 + dir * c.slip);
  pos.eX = fillX * (1 + dirX * c.slip);
  pos.entryFee = (absY * pos.eY + absX * pos.eX) * c.feeRate;
  pos.funding = 0;
  return pos.entryFee;
}

/** Fills the exit at raw prices; leaves the exit prices, fee and price P&L in `pos`. */
export function closePosition(pos: OpenPosition, c: Costs, fillY: number, fillX: number): void {
  pos.xY = fillY * (1 - Math.sign(pos.qY) * c.slip);
  pos.xX = fillX * (1 - Math.sign(pos.qX) * c.slip);
  pos.exitFee = (Math.abs(pos.qY) * pos.xY + Math.abs(pos.qX) * pos.xX) * c.feeRate;
  pos.pricePnl = pos.qY * (pos.xY - pos.eY) + pos.qX * (pos.xX - pos.eX);
}

/** Funding received at the start of bar t (negative = paid): a long pays rate × notional at the bar's open. */
export function fundingAt(pos: OpenPosition, fy: Float64Array | null, fx: Float64Array | null, yOpen: Float64Array, xOpen: Float64Array, t: number): number {
  const ry = fy === null ? 0 : fy[t];
  const rx = fx === null ? 0 : fx[t];
  if (ry === 0 && rx === 0) return 0;
  const received = -(pos.qY * yOpen[t] * ry + pos.qX * xOpen[t] * rx);
  pos.funding += received;
  return received;
}
