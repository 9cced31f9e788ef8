/**
 * The basket simulation, bar by bar, with the pair engine's order of events (see engine.ts) and its rule itself (the
 * round trips come from `ruleTrades`): funding into bar t is paid by the position held going into it; the order decided
 * at close t−1 fills at bar t (each leg on its own: at the bar price with slippage, or crossing its latest quote); equity
 * is marked at close t. The rule reads z and whether every weight is known. Two legs with weights [1, −β] give exactly
 * the pair engine's numbers.
 */
import type { Costs } from './fills';
import { fillLeg, isQuoted, legPriceAt, sizingPrice, type LegPrice } from './quoteFills';
import { fundingReceived } from './recordedFunding';
import { ruleTrades } from './ruleTrades';
import { type TradeStats, addTrade, emptyTradeStats } from './tradeStats';
import type { AlignedBasket, BasketTrade } from './basketTypes';
import type { CostUsage, ExitReason, LegQuotes, StrategyParams } from './types';

/** Per-bar funding of one leg: rates charged on quantity × open, or (`priced`) quote currency per unit held. */
export interface LegFunding {
  perBar: Float64Array;
  priced: boolean;
}

export interface BasketSimulationInput {
  basket: AlignedBasket;
  weights: Float64Array[];
  z: Float64Array;
  funding: ReadonlyArray<LegFunding | null>;
  quotes: ReadonlyArray<LegQuotes | undefined>;
  quoteMaxAgeMs: number;
  fundingWithoutMark: number;
}

export interface BasketSimulationOutput {
  equity: Float64Array;
  position: Int8Array;
  trades: BasketTrade[];
  tradeStats: TradeStats;
  zPnl: number;
  tradedNotional: number;
  exposedBars: number;
  costUsage: CostUsage;
}

interface Held {
  dir: number;
  entryBar: number;
  entryZ: number;
  weights: number[];
  qty: number[];
  entryPrice: number[];
  legFees: number[];
  legFunding: number[];
  entryFee: number;
  funding: number;
  spreadCost: number;
  slippage: number;
}

/** Signed quantity of each leg for direction `dir` at these prices (see `SizingMode`; leg 1's weight is 1). */
function legQuantities(c: Costs, dir: number, w: number[], price: number[]): number[] {
  const units = c.notional / price[0];
  return w.map((wi, i) => {
    const abs = c.sizing === 'hedgeUnits' ? Math.abs(wi) * units : c.sizing === 'hedgeNotional' ? (Math.abs(wi) * c.notional) / price[i] : c.notional / price[i];
    return dir * Math.sign(wi) * abs;
  });
}

export function simulateBasket(input: BasketSimulationInput, params: StrategyParams, c: Costs, atOpen: boolean, capital: number, start: number, end: number): BasketSimulationOutput {
  const { basket, weights, z, funding, quotes } = input;
  const { time, open, close, barMs } = basket;
  const m = open.length;
  const len = end - start;
  const equity = new Float64Array(len);
  const position = new Int8Array(len);
  const trades: BasketTrade[] = [];
  const stats = emptyTradeStats();
  const usage: CostUsage = { quotedFills: 0, barFills: 0, firstFallbackTime: null, fundingWithoutMark: input.fundingWithoutMark };
  // 1 where every weight is known, NaN where one is not: the rule enters only on known weights
  const known = new Float64Array(time.length).fill(NaN).fill(1, start, end);
  for (const col of weights) {
    for (let t = start; t < end; t++) if (!Number.isFinite(col[t])) known[t] = NaN;
  }
  const plan = ruleTrades(time, barMs, z, known, params, { start, end });
  let cash = capital;
  let zPnl = 0;
  let traded = 0;
  let exposed = 0;
  let held: Held | null = null;
  let next = 0; // the round trip of `plan` held or to come

  const pricesAt = (t: number, atClose: boolean): LegPrice[] => {
    const at = atClose ? time[t] + barMs : time[t];
    return open.map((o, i) => {
      const p = legPriceAt(quotes[i], at, atClose ? close[i][t] : o[t], input.quoteMaxAgeMs);
      if (isQuoted(p)) usage.quotedFills++;
      else {
        usage.barFills++;
        if (quotes[i] !== undefined) usage.firstFallbackTime ??= at;
      }
      return p;
    });
  };

  const enter = (t: number, d: number, dir: number): Held => {
    const w = weights.map((col) => col[d]);
    const p = pricesAt(t, !atOpen);
    const qty = legQuantities(c, dir, w, p.map(sizingPrice));
    const fills = qty.map((q, i) => fillLeg(q, p[i], c.slip, dir * Math.sign(w[i])));
    let notional = 0;
    let spreadCost = 0;
    let slippage = 0;
    fills.forEach((f, i) => {
      notional += Math.abs(qty[i]) * f.price;
      spreadCost += f.spreadCost;
      slippage += f.slippage;
    });
    const entryFee = notional * c.feeRate;
    cash -= entryFee;
    traded += notional;
    return {
      dir, entryBar: t, entryZ: z[d], weights: w, qty, entryPrice: fills.map((f) => f.price),
      legFees: fills.map((f, i) => Math.abs(qty[i]) * f.price * c.feeRate), legFunding: new Array<number>(m).fill(0),
      entryFee, funding: 0, spreadCost, slippage,
    };
  };

  const exit = (h: Held, t: number, why: ExitReason): void => {
    const p = pricesAt(t, why === 'end' || !atOpen);
    const fills = h.qty.map((q, i) => fillLeg(-q, p[i], c.slip, -h.dir * Math.sign(h.weights[i])));
    let notional = 0;
    let pricePnl = 0;
    fills.forEach((f, i) => {
      notional += Math.abs(h.qty[i]) * f.price;
      pricePnl += h.qty[i] * (f.price - h.entryPrice[i]);
      h.spreadCost += f.spreadCost;
      h.slippage += f.slippage;
      h.legFees[i] += Math.abs(h.qty[i]) * f.price * c.feeRate;
    });
    const exitFee = notional * c.feeRate;
    const pnl = pricePnl - h.entryFee - exitFee + h.funding;
    addTrade(stats, pnl, h.entryFee + exitFee, h.funding, t - h.entryBar, time[t] - time[h.entryBar], h.spreadCost, h.slippage);
    trades.push({
      side: h.dir > 0 ? 'long' : 'short', entryBar: h.entryBar, exitBar: t, entryTime: time[h.entryBar], exitTime: time[t],
      entryZ: h.entryZ, exitZ: why === 'end' ? z[t] : z[t - 1], weights: h.weights, qty: h.qty, entryPrice: h.entryPrice,
      exitPrice: fills.map((f) => f.price), legFees: h.legFees, fees: h.entryFee + exitFee, legFunding: h.legFunding, funding: h.funding,
      spreadCost: h.spreadCost, slippage: h.slippage, pnl, holdingBars: t - h.entryBar, holdingMs: time[t] - time[h.entryBar], exitReason: why,
    });
    traded += notional;
    cash += pricePnl - exitFee;
  };

  const fundingInto = (h: Held, t: number): void => {
    let received = 0;
    h.qty.forEach((q, i) => {
      const f = funding[i];
      if (f === null || f === undefined) return;
      const r = f.priced ? fundingReceived(q, f.perBar[t], 1) : fundingReceived(q, f.perBar[t], open[i][t]);
      h.legFunding[i] += r;
      received += r;
    });
    h.funding += received;
    cash += received;
  };

  for (let t = start; t < end; t++) {
    if (held !== null && t > held.entryBar) {
      fundingInto(held, t);
      const dz = z[t] - z[t - 1];
      if (dz === dz) zPnl += held.dir * dz;
    }
    const trade = plan[next];
    if (held !== null && t === trade.exitBar) {
      exit(held, t, trade.exitReason);
      exposed += t - held.entryBar;
      held = null;
      next++;
    } else if (held === null && trade !== undefined && t === trade.entryBar) {
      held = enter(t, t - 1, trade.side);
    }
    if (held === null) {
      equity[t - start] = cash;
      continue;
    }
    let marked = cash;
    held.qty.forEach((q, i) => (marked += q * (close[i][t] - held!.entryPrice[i])));
    equity[t - start] = marked;
    position[t - start] = held.dir;
  }
  return { equity, position, trades, tradeStats: stats, zPnl, tradedNotional: traded, exposedBars: exposed, costUsage: usage };
}
