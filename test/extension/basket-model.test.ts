// The panel's model with a basket: the pair's view key stays as it was with two legs, a leg makes a basket key, and a
// basket reply for legs the controls have since left is dropped; a new basket drops the old basket's backtest.
import { describe, expect, it } from 'vitest';
import { PairsLabModel } from '../../extension/src/model';
import { BASKET_MAX_BARS, basketBacktestParams, basketParams } from '../../extension/src/basketState';
import type { BasketBacktestData, BasketData } from '../../kernel-lib/src/protocol';

function newModel(): PairsLabModel {
  return new PairsLabModel({
    y: 'BTCUSDT', x: 'ETHUSDT', legs: [], basketWeights: 'johansen', timeframe: '1s', window: 60, zThreshold: 2, spreadAlertEnabled: false,
    spreadWidth: 1, correlationAlertEnabled: false, minCorrelation: 0.3, minVolume: 0, hedge: 'huber', hedgeWindow: null, autoRefresh: false,
    refreshIntervalMs: 1000,
  }, { entry: 2, exit: 0.5, stop: null, feeBps: 5, slippageBps: 1, notional: 10_000 });
}

const view = (legs: string[]): BasketData => ({
  simulated: true, legs, method: 'johansen', timeframe: '1s', window: 60, bars: 1, time: [0], close: legs.map(() => [1]), spread: [0], zScore: [null],
  stats: { weights: [1, -1, -1], intercept: 0, halfLifeBars: 3, adfStatistic: -4, adfPValue: 0.01, cointStatistic: 40, cointPValue: null, cointCritical5: 29.8, cointRejects: true, stability: 1, zScore: null },
});

describe('the model with a basket', () => {
  it('keeps the pair key with two legs and makes a basket key with a third', () => {
    const model = newModel();
    expect(model.viewKey()).toBe('BTCUSDT|ETHUSDT|1s|60|huber|auto|0');
    expect(model.basketLegs).toBeNull();
    model.setControls({ legs: ['SOLUSDT'] });
    expect(model.basketLegs).toEqual(['BTCUSDT', 'ETHUSDT', 'SOLUSDT']);
    expect(model.viewKey()).toBe('BTCUSDT|ETHUSDT|1s|60|huber|auto|0|basket|SOLUSDT|johansen');
    model.setControls({ basketWeights: 'eg' });
    expect(model.viewKey()).toMatch(/\|eg$/);
  });

  it('drops a reply made for legs the controls left, and a new basket drops the old backtest', () => {
    const model = newModel();
    model.setControls({ legs: ['SOLUSDT'] });
    const first = model.viewKey();
    expect(model.basket.apply(view(['BTCUSDT', 'ETHUSDT', 'SOLUSDT']), first)).toBe(true);
    expect(model.basket.setBacktest({ legs: ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'] } as BasketBacktestData, first)).toBe(true);
    model.setControls({ legs: ['BNBUSDT'] });
    expect(model.basket.current).toBe(false);
    expect(model.basket.apply(view(['BTCUSDT', 'ETHUSDT', 'SOLUSDT']), first)).toBe(false);
    expect(model.basket.apply(view(['BTCUSDT', 'ETHUSDT', 'BNBUSDT']), model.viewKey())).toBe(true);
    expect(model.basket.backtest).toBeNull();
    expect(model.basket.view?.legs[2]).toBe('BNBUSDT');
  });

  it('asks for the legs in order with the bars capped, and the backtest with the strategy', () => {
    const model = newModel();
    model.setControls({ legs: ['SOLUSDT', 'BNBUSDT'], basketWeights: 'eg' });
    const params = basketParams(model.controls, 86_400);
    expect(params).toEqual({ legs: ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'BNBUSDT'], weights: 'eg', timeframe: '1s', window: 60, minVolume: 0, maxBars: BASKET_MAX_BARS });
    expect(basketParams(model.controls, 100).maxBars).toBe(100);
    const bt = basketBacktestParams(model.controls, model.strategy, 86_400);
    expect(bt).toMatchObject({ entry: 2, exit: 0.5, feeBps: 5, slippageBps: 1, notional: 10_000 });
    expect('stop' in bt).toBe(false);
  });
});
