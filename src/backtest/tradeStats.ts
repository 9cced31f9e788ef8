/** Running totals over closed trades: what the metrics need, without keeping every trade. */
import type { Trade } from './types';

export interface TradeStats {
  count: number;
  wins: number;
  grossProfit: number;
  /** Sum of losing trades' P&L as a positive number. */
  grossLoss: number;
  fees: number;
  /** Paid crossing quotes (vs mid) and to constant slippage. */
  spreadCost: number;
  slippage: number;
  /** Net funding received (negative = paid). */
  funding: number;
  holdingBars: number;
  holdingMs: number;
}

export function emptyTradeStats(): TradeStats {
  return { count: 0, wins: 0, grossProfit: 0, grossLoss: 0, fees: 0, spreadCost: 0, slippage: 0, funding: 0, holdingBars: 0, holdingMs: 0 };
}

export function addTrade(s: TradeStats, pnl: number, fees: number, funding: number, holdingBars: number, holdingMs: number, spreadCost = 0, slippage = 0): void {
  s.count++;
  if (pnl > 0) {
    s.wins++;
    s.grossProfit += pnl;
  } else s.grossLoss -= pnl;
  s.fees += fees;
  s.spreadCost += spreadCost;
  s.slippage += slippage;
  s.funding += funding;
  s.holdingBars += holdingBars;
  s.holdingMs += holdingMs;
}

/** What the totals read of a round trip: a pair's `Trade` or a basket's. */
export type TradeTotals = Pick<Trade, 'pnl' | 'fees' | 'funding' | 'holdingBars' | 'holdingMs' | 'spreadCost' | 'slippage'>;

export function tradeStats(trades: readonly TradeTotals[]): TradeStats {
  const s = emptyTradeStats();
  for (const t of trades) addTrade(s, t.pnl, t.fees, t.funding, t.holdingBars, t.holdingMs, t.spreadCost ?? 0, t.slippage ?? 0);
  return s;
}
