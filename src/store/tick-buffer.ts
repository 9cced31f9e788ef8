// Ticks waiting for the next flush, held as typed columns so that DuckDB can copy them without per-value work.

/** Columns of a batch; integer columns are float64 (exact for safe integers) and cast to BIGINT in SQL. */
export interface TickColumns {
  length: number;
  symbolId: Int32Array;
  aggId: Float64Array;
  tradeTime: Float64Array;
  price: Float64Array;
  qty: Float64Array;
  isBuyerMaker: Uint8Array;
  recvTime: Float64Array;
}

const INITIAL_CAPACITY = 4096;

export class TickBuffer implements TickColumns {
  length = 0;
  symbolId = new Int32Array(INITIAL_CAPACITY);
  aggId = new Float64Array(INITIAL_CAPACITY);
  tradeTime = new Float64Array(INITIAL_CAPACITY);
  price = new Float64Array(INITIAL_CAPACITY);
  qty = new Float64Array(INITIAL_CAPACITY);
  isBuyerMaker = new Uint8Array(INITIAL_CAPACITY);
  recvTime = new Float64Array(INITIAL_CAPACITY);

  private grow(min: number): void {
    let cap = this.aggId.length;
    while (cap < min) cap *= 2;
    const g = <T extends Int32Array | Float64Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a.subarray(0, this.length));
      return b;
    };
    this.symbolId = g(this.symbolId, (n) => new Int32Array(n));
    this.aggId = g(this.aggId, (n) => new Float64Array(n));
    this.tradeTime = g(this.tradeTime, (n) => new Float64Array(n));
    this.price = g(this.price, (n) => new Float64Array(n));
    this.qty = g(this.qty, (n) => new Float64Array(n));
    this.isBuyerMaker = g(this.isBuyerMaker, (n) => new Uint8Array(n));
    this.recvTime = g(this.recvTime, (n) => new Float64Array(n));
  }

  push(symbolId: number, aggId: number, tradeTime: number, price: number, qty: number, isBuyerMaker: boolean, recvTime: number): void {
    const i = this.length;
    if (i === this.aggId.length) this.grow(i + 1);
    this.symbolId[i] = symbolId;
    this.aggId[i] = aggId;
    this.tradeTime[i] = tradeTime;
    this.price[i] = price;
    this.qty[i] = qty;
    this.isBuyerMaker[i] = isBuyerMaker ? 1 : 0;
    this.recvTime[i] = recvTime;
    this.length = i + 1;
  }

  /** Appends every row of `other` (used to put a failed flush's batch back). */
  pushAll(other: TickColumns): void {
    if (this.length + other.length > this.aggId.length) this.grow(this.length + other.length);
    const n = other.length;
    const at = this.length;
    this.symbolId.set(other.symbolId.subarray(0, n), at);
    this.aggId.set(other.aggId.subarray(0, n), at);
    this.tradeTime.set(other.tradeTime.subarray(0, n), at);
    this.price.set(other.price.subarray(0, n), at);
    this.qty.set(other.qty.subarray(0, n), at);
    this.isBuyerMaker.set(other.isBuyerMaker.subarray(0, n), at);
    this.recvTime.set(other.recvTime.subarray(0, n), at);
    this.length += n;
  }
}
