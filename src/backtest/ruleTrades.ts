/**
 * The rule's round trips read off the pair engine, so every instrument trades one rule: which bar each entry and exit
 * fills on, and why. The engine's decisions read only z, whether the hedge is known (finite), the bar times and the
 * thresholds, never prices, so it runs here on unit prices without costs.
 */
import { type SimulationRange, simulate } from './engine';
import type { AlignedPair, ExecutionSettings, ExitReason, StrategyParams } from './types';

export interface RuleTrade {
  /** +1 long the spread, −1 short. */
  side: number;
  entryBar: number;
  exitBar: number;
  exitReason: ExitReason;
}

const UNIT_EXECUTION: ExecutionSettings = {
  fillAt: 'open', sizing: 'dollarNeutral', notionalPerLeg: 1, capital: 1, makerFeeBps: 0, takerFeeBps: 0, liquidity: 'taker', slippageBps: 0,
};

/**
 * Round trips of the rule on `z` over `range`, oldest first. `known[t]` is finite when the hedge (weights) at bar t is
 * known, NaN when not: the rule enters only then.
 */
export function ruleTrades(time: Float64Array, barMs: number, z: Float64Array, known: Float64Array, params: StrategyParams, range: SimulationRange): RuleTrade[] {
  const unit = new Float64Array(time.length).fill(1);
  const pair: AlignedPair = { time, yOpen: unit, yClose: unit, xOpen: unit, xClose: unit, barMs };
  const out = simulate({ pair, hedgeRatio: known, z, fundingY: null, fundingX: null }, params, UNIT_EXECUTION, { range });
  return (out.log?.toTrades(time) ?? []).map((t) => ({ side: t.side === 'long' ? 1 : -1, entryBar: t.entryBar, exitBar: t.exitBar, exitReason: t.exitReason }));
}
