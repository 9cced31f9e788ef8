// The dedup index (stored aggIds as ranges) agrees with a plain Set under random inserts: gap fills join
// ranges, repeats are refused, and it survives a JSON round trip as it does through the manifest.
import { describe, expect, it } from 'vitest';
import { IdCoverage, IdRanges } from '../../src/store/id-coverage';
import { rng } from './helpers';

describe('IdRanges', () => {
  it('matches a Set for random ids, in random order, with repeats', () => {
    const rand = rng(99);
    const ranges = new IdRanges();
    const set = new Set<number>();
    for (let i = 0; i < 20_000; i++) {
      // Mostly near the top (live ticks), sometimes far below (backfill), often repeats.
      const id = rand() < 0.7 ? Math.floor(i / 2 + rand() * 10) : Math.floor(rand() * i);
      expect(ranges.add(id)).toBe(!set.has(id));
      set.add(id);
    }
    for (let id = -2; id < 10_100; id++) expect(ranges.has(id)).toBe(set.has(id));
    const json = ranges.toJSON();
    for (let r = 1; r < json.length; r++) expect(json[r][0]).toBeGreaterThan(json[r - 1][1] + 1); // disjoint, not adjacent
    expect(json.reduce((n, [a, b]) => n + b - a + 1, 0)).toBe(set.size);
    expect(ranges.max).toBe(Math.max(...set));
  });

  it('merges another index: dense runs in one step, overlaps id by id', () => {
    const a = new IdRanges([[0, 99], [200, 299]]);
    a.addAll(new IdRanges([[50, 150], [300, 1_000_000]]));
    expect(a.toJSON()).toEqual([[0, 150], [200, 1_000_000]]);
    const empty = new IdRanges();
    empty.addAll(new IdRanges([[0, 5]]));
    expect(empty.toJSON()).toEqual([[0, 5]]);
  });

  it('keeps symbols apart and round-trips through JSON', () => {
    const c = new IdCoverage();
    c.ranges('A').add(1);
    c.ranges('A').add(2);
    c.ranges('B').add(2);
    c.ranges('C'); // touched but empty: not written
    const copy = IdCoverage.fromJSON(JSON.parse(JSON.stringify(c.toJSON())) as Record<string, [number, number][]>);
    expect(copy.toJSON()).toEqual({ A: [[1, 2]], B: [[2, 2]] });
    expect(copy.peek('B')?.has(1)).toBe(false);
  });
});
