// A pair with no bars yet (a fresh store, a symbol just added) opens as an empty view with undefined metric cards,
// and fills in once bars arrive.
import { describe, expect, it } from 'vitest';
import { PairView } from '../../kernel-lib/src/analysis/pairView';
import { metricCards } from '../../kernel-lib/src/panel/replies';
import { GrowingPairStore } from './support/growingPairStore';

describe('a pair view with no bars', () => {
  it('has metric cards with 0 bars and no values, then values once bars arrive', async () => {
    const store = new GrowingPairStore(200);
    const view = await PairView.load(store, 'YUSDT', 'XUSDT', { timeframe: '1s', maxBars: 100, window: 20, hedge: 'ols', hedgeWindow: 40 });
    expect(view.length).toBe(0);
    expect(metricCards(view)).toMatchObject({ bars: 0, hedgeRatio: null, zScore: null, adfPValue: null, lastTime: null });
    expect(view.crossCorrelation.values).toEqual(expect.any(Array));
    store.publish(150);
    await view.refresh();
    const cards = metricCards(view);
    expect(cards.bars).toBe(100);
    expect(cards.hedgeRatio).toEqual(expect.any(Number));
    expect(cards.zScore).toEqual(expect.any(Number));
  });
});
