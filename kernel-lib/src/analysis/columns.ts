// Growable columns of numbers: a live view appends a few bars per refresh to a day of bars, so copying
// every column on each refresh would cost more than the analytics.

/** A Float64Array with spare capacity; `values` is a view of the used part. */
export class GrowableColumn {
  private buffer: Float64Array;
  private used = 0;

  constructor(initial: ArrayLike<number> = []) {
    this.buffer = new Float64Array(Math.max(16, initial.length * 2));
    this.buffer.set(initial);
    this.used = initial.length;
  }

  get length(): number {
    return this.used;
  }

  /** The used part (a view: valid until the next `replaceFrom`). */
  get values(): Float64Array {
    return this.buffer.subarray(0, this.used);
  }

  /** Drops values from `index` on, then appends `tail`. */
  replaceFrom(index: number, tail: ArrayLike<number>): void {
    const needed = index + tail.length;
    if (needed > this.buffer.length) {
      const grown = new Float64Array(Math.max(needed, this.buffer.length * 2));
      grown.set(this.buffer.subarray(0, index));
      this.buffer = grown;
    }
    this.buffer.set(tail, index);
    this.used = needed;
  }
}

/** Named growable columns that always have the same length. */
export class ColumnSet<K extends string> {
  private readonly columns: Record<K, GrowableColumn>;

  constructor(readonly names: readonly K[], initial?: Readonly<Record<K, ArrayLike<number>>>) {
    this.columns = {} as Record<K, GrowableColumn>;
    for (const name of names) this.columns[name] = new GrowableColumn(initial?.[name] ?? []);
  }

  get length(): number {
    return this.names.length ? this.columns[this.names[0]].length : 0;
  }

  get(name: K): Float64Array {
    return this.columns[name].values;
  }

  /** Replaces every column from `index` on with the tails (all the same length). */
  replaceFrom(index: number, tails: Readonly<Record<K, ArrayLike<number>>>): void {
    for (const name of this.names) this.columns[name].replaceFrom(index, tails[name]);
  }
}
