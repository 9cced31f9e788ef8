// CSV timestamps on the user's clock (kernel-lib/src/analysis/zonedTime.ts): UTC with Z by default, an IANA zone with
// its offset at each instant otherwise, across daylight-saving changes.
import { describe, expect, it } from 'vitest';
import { isTimeZone, isoInZone } from '../../kernel-lib/src/analysis/zonedTime';

describe('isoInZone', () => {
  const t = Date.UTC(2026, 11, 4, 0, 26, 25, 7);
  it('UTC by default, as toISOString', () => {
    expect(isoInZone(t)).toBe('2026-12-04T00:26:25.007Z');
    expect(isoInZone(t, 'UTC')).toBe('2026-12-04T00:26:25.007Z');
  });
  it('a zone east of UTC, across midnight', () => {
    expect(isoInZone(Date.UTC(2026, 11, 3, 20, 0, 0), 'Asia/Singapore')).toBe('2026-12-04T04:00:00.000+08:00');
    expect(isoInZone(t, 'Asia/Kolkata')).toBe('2026-12-04T05:56:25.007+05:30');
  });
  it('a zone with daylight saving names the offset in force at each time', () => {
    expect(isoInZone(Date.UTC(2026, 6, 1, 12), 'America/New_York')).toBe('2026-07-01T08:00:00.000-04:00');
    expect(isoInZone(Date.UTC(2026, 0, 1, 12), 'America/New_York')).toBe('2026-01-01T07:00:00.000-05:00');
  });
  it('every string parses back to the same instant', () => {
    for (const zone of ['Asia/Singapore', 'America/New_York', 'Europe/Berlin', 'Pacific/Chatham']) {
      for (let k = 0; k < 50; k++) {
        const ms = Date.UTC(2026, 0, 1) + k * 7_919_123_457;
        expect(Date.parse(isoInZone(ms, zone)), `${zone} ${ms}`).toBe(ms);
      }
    }
  });
  it('unknown zones are told apart', () => {
    expect(isTimeZone('Asia/Singapore')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});
