// When an on-demand result was computed (extension/src/runStamp.ts): the time on the panel's clock, the bars, and
// once newer bars exist how many, with the advice to run again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DisplayClock } from '../../extension/src/clock';
import { runStampText } from '../../extension/src/runStamp';

const savedTz = process.env.TZ;
beforeAll(() => { process.env.TZ = 'Asia/Singapore'; });
afterAll(() => { process.env.TZ = savedTz; });

describe('run stamps', () => {
  const at = Date.UTC(2026, 11, 6, 14, 2, 11);
  const run = { at, bars: 201, lastBar: at - 1000 };

  it('time and bars on the chosen clock', () => {
    const c = new DisplayClock();
    expect(runStampText(run, c, run.lastBar, '1s')).toBe('Run at 14:02:11 UTC on 201 bars.');
    c.setZone('local');
    expect(runStampText(run, c, run.lastBar, '1s')).toBe('Run at 22:02:11 UTC+08:00 on 201 bars.');
  });

  it('newer bars since the run', () => {
    const c = new DisplayClock();
    expect(runStampText(run, c, run.lastBar + 400_000, '1s')).toBe('Run at 14:02:11 UTC on 201 bars; 400 newer bars since: run again for the newest bars.');
    expect(runStampText(run, c, run.lastBar + 60_000, '1m')).toBe('Run at 14:02:11 UTC on 201 bars; 1 newer bar since: run again for the newest bars.');
    expect(runStampText({ ...run, barsText: 'on up to 201 bars per pair' }, c, null, '1s')).toBe('Run at 14:02:11 UTC on up to 201 bars per pair.');
  });
});
