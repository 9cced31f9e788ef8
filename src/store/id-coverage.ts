// Which aggIds of each symbol are stored, as sorted disjoint inclusive ranges. aggIds are dense per symbol,
// so a symbol normally needs one range plus one per unfilled gap.

export class IdRanges {
  private readonly lo: number[];
  private readonly hi: number[];

  constructor(ranges: readonly (readonly [number, number])[] = []) {
    this.lo = ranges.map((r) => r[0]);
    this.hi = ranges.map((r) => r[1]);
  }

  get max(): number {
    return this.hi.length ? this.hi[this.hi.length - 1] : -1;
  }

  get rangeCount(): number {
    return this.lo.length;
  }

  /** Index of the last range whose start is ≤ id, or -1. */
  private locate(id: number): number {
    let a = 0;
    let b = this.lo.length - 1;
    let found = -1;
    while (a <= b) {
      const mid = (a + b) >> 1;
      if (this.lo[mid] <= id) { found = mid; a = mid + 1; } else b = mid - 1;
    }
    return found;
  }

  has(id: number): boolean {
    const n = this.hi.length;
    if (n === 0 || id > this.hi[n - 1]) return false;
    const i = this.locate(id);
    return i >= 0 && id <= this.hi[i];
  }

  /** Adds one id; false when it was already present. */
  add(id: number): boolean {
    const n = this.hi.length;
    if (n === 0 || id > this.hi[n - 1] + 1) {
      this.lo.push(id);
      this.hi.push(id);
      return true;
    }
    if (id === this.hi[n - 1] + 1) {
      this.hi[n - 1] = id;
      return true;
    }
    const i = this.locate(id);
    if (i >= 0 && id <= this.hi[i]) return false;
    const joinsLeft = i >= 0 && this.hi[i] === id - 1;
    const joinsRight = i + 1 < this.lo.length && this.lo[i + 1] === id + 1;
    if (joinsLeft && joinsRight) {
      this.hi[i] = this.hi[i + 1];
      this.lo.splice(i + 1, 1);
      this.hi.splice(i + 1, 1);
    } else if (joinsLeft) {
      this.hi[i] = id;
    } else if (joinsRight) {
      this.lo[i + 1] = id;
    } else {
      this.lo.splice(i + 1, 0, id);
      this.hi.splice(i + 1, 0, id);
    }
    return true;
  }

  /** Adds every id of `other`. */
  addAll(other: IdRanges): void {
    for (let r = 0; r < other.lo.length; r++) {
      if (this.hi.length === 0 || other.lo[r] > this.max + 1) {
        this.lo.push(other.lo[r]);
        this.hi.push(other.hi[r]);
        continue;
      }
      for (let id = other.lo[r]; id <= other.hi[r]; id++) {
        if (id > this.max) {
          // The rest of this range lies beyond everything stored: extend in one step.
          if (id === this.max + 1) this.hi[this.hi.length - 1] = other.hi[r];
          else { this.lo.push(id); this.hi.push(other.hi[r]); }
          break;
        }
        this.add(id);
      }
    }
  }

  clone(): IdRanges {
    return new IdRanges(this.toJSON());
  }

  toJSON(): [number, number][] {
    return this.lo.map((l, i) => [l, this.hi[i]]);
  }
}

/** IdRanges per symbol. */
export class IdCoverage {
  private readonly bySymbol = new Map<string, IdRanges>();

  static fromJSON(json: Record<string, [number, number][]>): IdCoverage {
    const c = new IdCoverage();
    for (const [sym, ranges] of Object.entries(json)) c.bySymbol.set(sym, new IdRanges(ranges));
    return c;
  }

  ranges(symbol: string): IdRanges {
    let r = this.bySymbol.get(symbol);
    if (!r) {
      r = new IdRanges();
      this.bySymbol.set(symbol, r);
    }
    return r;
  }

  peek(symbol: string): IdRanges | undefined {
    return this.bySymbol.get(symbol);
  }

  addAll(other: IdCoverage): void {
    for (const [sym, r] of other.bySymbol) this.ranges(sym).addAll(r);
  }

  clone(): IdCoverage {
    return IdCoverage.fromJSON(this.toJSON());
  }

  toJSON(): Record<string, [number, number][]> {
    const out: Record<string, [number, number][]> = {};
    for (const [sym, r] of this.bySymbol) if (r.rangeCount) out[sym] = r.toJSON();
    return out;
  }
}
