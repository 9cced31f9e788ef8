// The panel's basket requests: a basket view read afresh on every request (the panel's live refresh re-reads it whole,
// so the weights, z and tests always describe the bars shown), and its backtest.
import type { BasketBacktestData, BasketData, BasketParams, BasketBacktestParams } from '../protocol';
import { BasketView, type BasketViewOptions } from '../analysis/basketView';
import { drawdown } from '../analysis/backtesting';
import type { Lab } from '../session/lab';
import { backtestMetrics, column, num } from './replies';

function viewOptions(req: BasketParams): BasketViewOptions {
  return { timeframe: req.timeframe, weights: req.weights, window: req.window, minVolume: req.minVolume, from: req.from, to: req.to, maxBars: req.maxBars };
}

export async function basketData(lab: Lab, req: BasketParams): Promise<BasketData> {
  const view = await BasketView.load(lab.reader, req.legs, viewOptions(req));
  const a = view.analysis;
  const m = view.metrics;
  return {
    simulated: (await lab.health()).simulated,
    legs: view.legs, method: a.method, timeframe: req.timeframe, window: req.window ?? 100, bars: m.bars,
    time: Array.from(view.time), close: view.basket.close.map((c) => column(c)), spread: column(a.spread), zScore: column(a.z),
    stats: {
      weights: m.weights.map(num), intercept: num(m.intercept), halfLifeBars: num(m.halfLife), adfStatistic: num(a.adf.statistic), adfPValue: num(m.adfPValue),
      cointStatistic: num(m.cointStatistic), cointPValue: num(m.cointPValue), cointCritical5: num(m.cointCritical5), cointRejects: m.cointRejects,
      stability: num(m.stability), zScore: num(m.lastZ),
    },
  };
}

export async function basketBacktestData(lab: Lab, req: BasketBacktestParams): Promise<BasketBacktestData> {
  const view = await BasketView.load(lab.reader, req.legs, viewOptions(req));
  const report = await view.backtest({ entry: req.entry, exit: req.exit, stop: req.stop, maxHoldBars: req.maxHoldBars, cooldownBars: req.cooldownBars }, req);
  const sumPerLeg = (pick: (t: (typeof report.trades)[number]) => number[]) =>
    view.legs.map((_, i) => num(report.trades.reduce((total, t) => total + pick(t)[i], 0)));
  const m = report.metrics;
  return {
    simulated: (await lab.health()).simulated,
    legs: view.legs, time: Array.from(report.time), equity: column(report.equity), drawdown: column(drawdown(report.equity)),
    metrics: backtestMetrics(m),
    costs: { fees: num(m.feesPaid), spread: num(m.spreadCost), slippage: num(m.slippageCost), funding: num(m.funding) },
    legFees: sumPerLeg((t) => t.legFees), legFunding: sumPerLeg((t) => t.legFunding),
    quotedFills: report.costUsage.quotedFills, barFills: report.costUsage.barFills, costNotes: report.costNotes,
  };
}
