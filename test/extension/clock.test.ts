// The panel's display clock (extension/src/clock.ts) in a browser whose zone is Asia/Singapore: UTC by default, local
// time when picked, and chart x values that make Plotly's local-time date axes show the chosen clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DisplayClock, offsetLabel } from '../../extension/src/clock';

const savedTz = process.env.TZ;
beforeAll(() => { process.env.TZ = 'Asia/Singapore'; });
afterAll(() => { process.env.TZ = savedTz; });

describe('display clock', () => {
  const t = Date.UTC(2026, 11, 4, 0, 26, 25);
  it('UTC by default; local time is the browser zone, labelled with its offset', () => {
    const c = new DisplayClock();
    expect(c.zone).toBe('utc');
    expect(c.label).toBe('UTC');
    expect(c.dateTime(t)).toBe('2026-12-04 00:26:25');
    expect(c.time(t)).toBe('00:26:25');
    c.setZone('local');
    expect(c.label).toBe('UTC+08:00');
    expect(c.dateTime(t)).toBe('2026-12-04 08:26:25');
    expect(c.dateTime(null)).toBe('—');
    expect(offsetLabel(t)).toBe('UTC+08:00');
  });

  it('a Plotly date axis (which draws numbers in local time) shows the chosen clock, and zoom ranges map back', () => {
    const c = new DisplayClock();
    const local = (ms: number) => { const d = new Date(ms); return `${d.getHours()}:${String(d.getMinutes()).padStart(2, '0')}`; };
    expect(local(c.plotX(t))).toBe('0:26');
    expect(c.fromAxis('2026-12-04 00:26:25')).toBe(t);
    expect(c.fromAxis(c.plotX(t))).toBe(t);
    c.setZone('local');
    expect(local(c.plotX(t))).toBe('8:26');
    expect(c.fromAxis('2026-12-04 08:26:25')).toBe(t);
  });

  it('tells its listeners when the user picks the other clock, once', () => {
    const c = new DisplayClock();
    const seen: string[] = [];
    c.changed.connect((_, zone) => seen.push(zone));
    c.setZone('local');
    c.setZone('local');
    c.setZone('utc');
    expect(seen).toEqual(['local', 'utc']);
  });
});
