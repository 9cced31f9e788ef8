// Growable columns of numbers: a live view appends a few bars per refresh to a day of bars, so copying
// every column on each refresh would cost more than the analytics. It also drops its oldest bars now and then,
// so the buffers are sized for an expected maximum instead of doubling past it.

/** A Float64Array with spare capacity; `values` is a view of the used part. */
export class GrowableColumn {
  private buffer: Float64Array;
  private used = 0;

  /** `expectedMax`: the buffer never grows beyond this unless more values are actually stored. */
  constructor(initial: ArrayLike<number> = [], private readonly expectedMax = Infinity) {
    this.buffer = new Float64Array(this.roomFor(initial.length, initial.length));
    this.buffer.set(initial);
    this.used = initial.length;
  }

  get length(): number {
    return this.used;
  }

  /** Values the buffer holds without growing. */
  get capacity(): number {
    return this.buffer.length;
  }

  /** The used part (a view: valid until the next `replaceFrom` or `dropFirst`). */
  get values(): Float64Array {
    return this.buffer.subarray(0, this.used);
  }

  /** Drops values from `index` on, then appends `tail`. */
  replaceFrom(index: number, tail: ArrayLike<number>): void {
    const needed = index + tail.length;
    if (needed > this.buffer.length) {
      const grown = new Float64Array(this.roomFor(needed, this.buffer.length));
      grown.set(this.buffer.subarray(0, index));
      this.buffer = grown;
    }
    this.buffer.set(tail, index);
    this.used = needed;
  }

  /** Drops the first `count` values (later values move to the front; a buffer grown past `expectedMax` shrinks back). */
  dropFirst(count: number): void {
    const rest = this.buffer.subarray(count, this.used);
    if (this.buffer.length > this.expectedMax && rest.length <= this.expectedMax) {
      const smaller = new Float64Array(this.expectedMax);
      smaller.set(rest);
      this.buffer = smaller;
    } else {
      this.buffer.copyWithin(0, count, this.used);
    }
    this.used = rest.length;
  }

  /** A buffer size for `needed` values: doubling (amortised appends), capped at `expectedMax` unless more is needed. */
  private roomFor(needed: number, current: number): number {
    return Math.max(needed, Math.min(Math.max(16, 2 * current), this.expectedMax));
  }
}

/** Named growable columns that always have the same length. */
export class ColumnSet<K extends string> {
  private readonly columns: Record<K, GrowableColumn>;

  constructor(readonly names: readonly K[], initial?: Readonly<Record<K, ArrayLike<number>>>, expectedMax = Infinity) {
    this.columns = {} as Record<K, GrowableColumn>;
    for (const name of names) this.columns[name] = new GrowableColumn(initial?.[name] ?? [], expectedMax);
  }

  get length(): number {
    return this.names.length ? this.columns[this.names[0]].length : 0;
  }

  /** Values each column holds without growing. */
  get capacity(): number {
    return this.names.length ? this.columns[this.names[0]].capacity : 0;
  }

  get(name: K): Float64Array {
    return this.columns[name].values;
  }

  /** Replaces every column from `index` on with the tails (all the same length). */
  replaceFrom(index: number, tails: Readonly<Record<K, ArrayLike<number>>>): void {
    for (const name of this.names) this.columns[name].replaceFrom(index, tails[name]);
  }

  /** Drops the first `count` values of every column. */
  dropFirst(count: number): void {
    for (const name of this.names) this.columns[name].dropFirst(count);
  }
}
