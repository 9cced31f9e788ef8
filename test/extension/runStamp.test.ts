// When an on-demand result was computed (extension/src/runStamp.ts): the time on the panel's clock and the bars; once
// the view has newer bars how many, with the advice to run again; after the user picked another view, what it was for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DisplayClock } from '../../extension/src/clock';
import { runStampText, type IRunStamp } from '../../extension/src/runStamp';

const savedTz = process.env.TZ;
beforeAll(() => { process.env.TZ = 'Asia/Singapore'; });
afterAll(() => { process.env.TZ = savedTz; });

describe('run stamps', () => {
  const at = Date.UTC(2026, 11, 6, 14, 2, 11);
  const lastBar = at - 1000;
  const run: IRunStamp = { at, bars: 201, view: { key: 'ETH|SOL|1s', label: 'ETHUSDT/SOLUSDT 1s', timeframe: '1s', lastBar } };
  const same = (newest: number | null, timeframe = '1s') => ({ key: 'ETH|SOL|1s', lastBar: newest, timeframe });

  it('time and bars on the chosen clock', () => {
    const c = new DisplayClock();
    expect(runStampText(run, c, same(lastBar))).toBe('Run at 14:02:11 UTC on 201 bars.');
    c.setZone('local');
    expect(runStampText(run, c, same(lastBar))).toBe('Run at 22:02:11 UTC+08:00 on 201 bars.');
  });

  it('newer bars of the same view since the run', () => {
    const c = new DisplayClock();
    expect(runStampText(run, c, same(lastBar + 400_000))).toBe('Run at 14:02:11 UTC on 201 bars; 400 newer bars since: run again for the newest bars.');
    expect(runStampText(run, c, same(lastBar + 60_000, '1m'))).toBe('Run at 14:02:11 UTC on 201 bars; 1 newer bar since: run again for the newest bars.');
    expect(runStampText(run, c, same(null))).toBe('Run at 14:02:11 UTC on 201 bars.');
  });

  it('another view on screen: says what the result was computed on, counts no bars', () => {
    const c = new DisplayClock();
    expect(runStampText(run, c, { key: 'BTC|ETH|1s', lastBar: lastBar + 9e9, timeframe: '1s' })).toBe('Run at 14:02:11 UTC on 201 bars of ETHUSDT/SOLUSDT 1s (not the view on screen).');
  });

  it('a scan: its own bar text, no view', () => {
    const c = new DisplayClock();
    expect(runStampText({ at, bars: 720, barsText: 'on up to 720 bars per pair of 1m' }, c, same(lastBar + 9e9))).toBe('Run at 14:02:11 UTC on up to 720 bars per pair of 1m.');
  });
});
