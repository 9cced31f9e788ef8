/**
 * The simulation loop over precomputed per-bar arrays. At each bar t, in this order:
 * 1. funding events placed on bar t are paid by the position held going into the bar (priced at its open);
 * 2. the order decided at close t−1 fills at bar t's open (or close), both legs, with slippage and fees;
 * 3. equity is marked at close t;
 * 4. the rule reads z[t] and hedgeRatio[t] (known at close t) and decides the order for bar t+1.
 * A position still open on the last bar is closed at its close (exit reason `end`); no entry fills on the last bar.
 */
import type { AlignedPair, ExecutionSettings, ExitReason, StrategyParams, Trade } from './types';

export interface SimulationInput {
  pair: AlignedPair;
  /** β per bar, estimated on data up to and including that bar's close; NaN = not known yet. */
  hedgeRatio: Float64Array;
  /** z-score per bar, known at that bar's close; NaN = not known yet. */
  z: Float64Array;
  /** Funding rate per bar for each leg (see `fundingPerBar`), or null. */
  fundingY: Float64Array | null;
  fundingX: Float64Array | null;
}

/** Bars [start, end) of the pair; the simulation starts flat with `capital` at `start`. */
export interface SimulationRange {
  start: number;
  end: number;
}

export interface SimulationOutput {
  /** Equity at each close of the range (index 0 = bar `start`). */
  equity: Float64Array;
  position: Int8Array;
  trades: Trade[];
  zPnl: number;
  tradedNotional: number;
  exposedBars: number;
}

/** Reusable output arrays (length ≥ range length) so a parameter search does not allocate per run. */
export interface SimulationBuffers {
  equity: Float64Array;
  position: Int8Array;
}

export function simulate(
  input: SimulationInput,
  params: StrategyParams,
  exec: ExecutionSettings,
  range: SimulationRange = { start: 0, end: input.pair.time.length },
  buffers?: SimulationBuffers,
): SimulationOutput {
  const { time, yOpen, yClose, xOpen, xClose } = input.pair;
  const { hedgeRatio: beta, z, fundingY: fy, fundingX: fx } = input;
  const { start, end } = range;
  const len = end - start;
  const equity = buffers ? buffers.equity : new Float64Array(len);
  const position = buffers ? buffers.position : new Int8Array(len);
  const feeRate = (exec.liquidity === 'maker' ? exec.makerFeeBps : exec.takerFeeBps) / 1e4;
  const slip = exec.slippageBps / 1e4;
  const notional = exec.notionalPerLeg;
  const sizing = exec.sizing;
  const atOpen = exec.fillAt === 'open';
  const entryZ = params.entry;
  const exitZ = params.exit;
  const stopZ = params.stop ?? Infinity;
  const maxHold = params.maxHoldingBars ?? Infinity;
  const cooldown = params.cooldownBars ?? 0;
  const hasFunding = fy !== null || fx !== null;
  const lastEntryDecision = end - 3; // an entry decided later would fill on the last bar

  const trades: Trade[] = [];
  let cash = exec.capital;
  let side = 0;
  let qY = 0;
  let qX = 0;
  let eY = 0;
  let eX = 0;
  let pending = 0; // +1 / −1 enter long / short the spread, 2 exit
  let pendingReason: ExitReason = 'exit';
  let decisionBar = -1;
  let decisionBeta = NaN;
  let decisionZ = NaN;
  let exitDecisionZ = NaN;
  let entryBar = -1;
  let entryFee = 0;
  let tradeFunding = 0;
  let cooldownUntil = start;
  let zPnl = 0;
  let traded = 0;
  let exposed = 0;
  let prevSide = 0;
  let prevZ = NaN;

  for (let t = start; t < end; t++) {
    if (hasFunding && side !== 0) {
      const ry = fy === null ? 0 : fy[t];
      const rx = fx === null ? 0 : fx[t];
      if (ry !== 0 || rx !== 0) {
        const received = -(qY * yOpen[t] * ry + qX * xOpen[t] * rx);
        cash += received;
        tradeFunding += received;
      }
    }
    const last = t === end - 1;
    let exitNow = pending === 2;
    let reason: ExitReason = pendingReason;
    let fillY = atOpen ? yOpen[t] : yClose[t];
    let fillX = atOpen ? xOpen[t] : xClose[t];
    if (pending === 1 || pending === -1) {
      const dir = pending;
      const b = decisionBeta;
      const absY = notional / fillY;
      let absX: number;
      let dirX = b >= 0 ? -dir : dir;
      if (sizing === 'dollarNeutral') {
        absX = notional / fillX;
        dirX = -dir;
      } else if (sizing === 'hedgeUnits') absX = Math.abs(b) * absY;
      else absX = (Math.abs(b) * notional) / fillX;
      qY = dir * absY;
      qX = dirX * absX;
      eY = fillY * (1 + dir * slip);
      eX = fillX * (1 + dirX * slip);
      const value = absY * eY + absX * eX;
      entryFee = value * feeRate;
      cash -= entryFee;
      traded += value;
      tradeFunding = 0;
      side = dir;
      entryBar = t;
    }
    pending = 0;
    if (last && side !== 0 && !exitNow) {
      exitNow = true;
      reason = 'end';
      fillY = yClose[t];
      fillX = xClose[t];
      exitDecisionZ = z[t];
    }
    if (exitNow && side !== 0) {
      const pY = fillY * (1 - Math.sign(qY) * slip);
      const pX = fillX * (1 - Math.sign(qX) * slip);
      const value = Math.abs(qY) * pY + Math.abs(qX) * pX;
      const exitFee = value * feeRate;
      const pricePnl = qY * (pY - eY) + qX * (pX - eX);
      cash += pricePnl - exitFee;
      traded += value;
      trades.push({
        side: side === 1 ? 'long' : 'short',
        entryBar,
        exitBar: t,
        entryTime: time[entryBar],
        exitTime: time[t],
        entryZ: decisionZ,
        exitZ: exitDecisionZ,
        hedgeRatio: decisionBeta,
        qtyY: qY,
        qtyX: qX,
        entryPriceY: eY,
        entryPriceX: eX,
        exitPriceY: pY,
        exitPriceX: pX,
        fees: entryFee + exitFee,
        funding: tradeFunding,
        pnl: pricePnl - entryFee - exitFee + tradeFunding,
        holdingBars: t - entryBar,
        holdingMs: time[t] - time[entryBar],
        exitReason: reason,
      });
      side = 0;
      qY = 0;
      qX = 0;
    }

    const zt = z[t];
    if (prevSide !== 0) {
      const dz = zt - prevZ;
      if (dz === dz) zPnl += prevSide * dz;
    }
    const i = t - start;
    equity[i] = side === 0 ? cash : cash + qY * (yClose[t] - eY) + qX * (xClose[t] - eX);
    position[i] = side;
    if (side !== 0) exposed++;
    prevSide = side;
    prevZ = zt;
    if (last) break;

    if (side === 0) {
      if (t >= cooldownUntil && t <= lastEntryDecision) {
        const b = beta[t];
        if (b === b) {
          if (zt > entryZ && zt < stopZ) pending = -1;
          else if (zt < -entryZ && zt > -stopZ) pending = 1;
          if (pending !== 0) {
            decisionBar = t;
            decisionBeta = b;
            decisionZ = zt;
          }
        }
      }
    } else if (side === 1 ? zt > -exitZ : zt < exitZ) {
      pending = 2;
      pendingReason = 'exit';
    } else if (side === 1 ? zt < -stopZ : zt > stopZ) {
      pending = 2;
      pendingReason = 'stop';
      cooldownUntil = t + 1 + cooldown;
    } else if (t - decisionBar >= maxHold) {
      pending = 2;
      pendingReason = 'maxHolding';
    }
    if (pending === 2) exitDecisionZ = zt;
  }
  return { equity: buffers ? equity.subarray(0, len) : equity, position: buffers ? position.subarray(0, len) : position, trades, zPnl, tradedNotional: traded, exposedBars: exposed };
}
