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

/** The position being held; quantities signed, prices are fills after slippage (or at the quote crossed). */
export class OpenPosition {
  side = 0;
  /** Direction of the x leg (±1), kept apart from the sign of `qX`, which is 0 when β is 0. */
  sideX = 0;
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
  /** Paid crossing quotes (vs mid) and to constant slippage, entry and exit together; both are inside `pricePnl`. */
  spreadCost = 0;
  slippage = 0;

  get pnl(): number {
    return this.pricePnl - this.entryFee - this.exitFee + this.funding;
  }
}

/** Sets the side and the signed quantities of an entry of direction `dir` (+1 long the spread) sized at these prices. */
export function sizePosition(pos: OpenPosition, c: Costs, dir: number, beta: number, priceY: number, priceX: number): void {
  const absY = c.notional / priceY;
  let absX: number;
  let dirX = beta >= 0 ? -dir : dir;
  if (c.sizing === 'dollarNeutral') {
    absX = c.notional / priceX;
    dirX = -dir;
  } else if (c.sizing === 'hedgeUnits') absX = Math.abs(beta) * absY;
  else absX = (Math.abs(beta) * c.notional) / priceX;
  pos.side = dir;
  pos.sideX = dirX;
  pos.beta = beta;
  pos.qY = dir * absY;
  pos.qX = dirX * absX;
  pos.funding = 0;
}

/** Fills an entry of direction `dir` (+1 long the spread) at raw prices; returns the fee paid. */
export function openPosition(pos: OpenPosition, c: Costs, dir: number, beta: number, fillY: number, fillX: number): number {
  sizePosition(pos, c, dir, beta, fillY, fillX);
  const absY = Math.abs(pos.qY);
  const absX = Math.abs(pos.qX);
  pos.eY = fillY * (1 + dir * c.slip);
  pos.eX = fillX * (1 + pos.sideX * c.slip);
  pos.entryFee = (absY * pos.eY + absX * pos.eX) * c.feeRate;
  pos.spreadCost = 0;
  pos.slippage = (absY * fillY + absX * fillX) * c.slip;
  return pos.entryFee;
}

/** Fills the exit at raw prices; leaves the exit prices, fee and price P&L in `pos`. */
export function closePosition(pos: OpenPosition, c: Costs, fillY: number, fillX: number): void {
  pos.xY = fillY * (1 - Math.sign(pos.qY) * c.slip);
  pos.xX = fillX * (1 - Math.sign(pos.qX) * c.slip);
  pos.exitFee = (Math.abs(pos.qY) * pos.xY + Math.abs(pos.qX) * pos.xX) * c.feeRate;
  pos.pricePnl = pos.qY * (pos.xY - pos.eY) + pos.qX * (pos.xX - pos.eX);
  pos.slippage += (Math.abs(pos.qY) * fillY + Math.abs(pos.qX) * fillX) * c.slip;
}

/**
 * Funding received at the start of bar t (negative = paid). `priced`: the arrays hold quote currency per unit of
 * position (Σ rate × mark price over the bar's events, see `pricedFundingPerBar`); otherwise rates, charged on the
 * notional at the bar's open.
 */
export function fundingAt(pos: OpenPosition, fy: Float64Array | null, fx: Float64Array | null, yOpen: Float64Array, xOpen: Float64Array, t: number, priced = false): number {
  const ry = fy === null ? 0 : fy[t];
  const rx = fx === null ? 0 : fx[t];
  if (ry === 0 && rx === 0) return 0;
  const received = priced ? -(pos.qY * ry + pos.qX * rx) : -(pos.qY * yOpen[t] * ry + pos.qX * xOpen[t] * rx);
  pos.funding += received;
  return received;
}
