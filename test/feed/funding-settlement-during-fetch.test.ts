// A settlement seen on one symbol's markPrice stream while another symbol's funding fetch is under way is fetched
// right after it, not at the next hourly sweep (it was an hour late before: the wake-up found no sleep to end).
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/feed/clock';
import { FundingHistory } from '../../src/feed/funding-history';
import type { BinanceRest } from '../../src/feed/rest';
import type { FundingEvent, MarkPriceUpdate } from '../../src/feed/types';
import { waitFor } from './helpers';

const H8 = 8 * 3_600_000;
const T = Math.floor(Date.now() / H8) * H8; // the settlement that just happened

const mark = (symbol: string, nextFundingTime: number): MarkPriceUpdate => ({
  symbol, eventTime: Date.now(), markPrice: 100, indexPrice: 100, estimatedSettlePrice: 100, fundingRate: 0.0001, nextFundingTime, recvTime: Date.now(),
});

describe('funding history', () => {
  it('fetches a settlement that came due during another symbol\'s fetch at once', async () => {
    const settled = new Map<string, FundingEvent[]>([['BTCUSDT', []], ['ETHUSDT', []]]);
    let releaseBtc: (() => void) | null = null;
    const fetched: string[] = [];
    const rest = {
      async fundingRate(symbol: string, from: number): Promise<FundingEvent[]> {
        fetched.push(symbol);
        if (symbol === 'BTCUSDT' && settled.get('BTCUSDT')?.length) await new Promise<void>((r) => { releaseBtc = r; });
        return (settled.get(symbol) ?? []).filter((e) => e.fundingTime >= from);
      },
    } as unknown as BinanceRest;
    const delivered: FundingEvent[] = [];
    const history = new FundingHistory({
      rest, clock: systemClock, symbols: ['BTCUSDT', 'ETHUSDT'], stored: new Map([['BTCUSDT', T - H8], ['ETHUSDT', T - H8]]),
      deliver: (events) => delivered.push(...events), recheckMs: 3_600_000,
    });
    history.onMark(mark('BTCUSDT', T));
    history.onMark(mark('ETHUSDT', T));
    history.start();
    await waitFor(() => fetched.length === 2, 5_000, 'the start-up fetches');
    for (const symbol of ['BTCUSDT', 'ETHUSDT']) settled.get(symbol)?.push({ symbol, fundingTime: T, fundingRate: 0.0001, markPrice: 100, recvTime: 0 });
    // BTC's stream moves on first; its fetch hangs until ETH's stream has moved on too
    history.onMark(mark('BTCUSDT', T + H8));
    await waitFor(() => releaseBtc !== null, 5_000, 'the BTC fetch under way');
    history.onMark(mark('ETHUSDT', T + H8));
    (releaseBtc as unknown as () => void)();
    await waitFor(() => delivered.length === 2, 5_000, 'both settlements delivered').finally(() => history.stop());
    expect(delivered.map((e) => e.symbol).sort()).toEqual(['BTCUSDT', 'ETHUSDT']);
  });
});
