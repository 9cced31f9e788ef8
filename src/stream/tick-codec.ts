// One stream message: one symbol's ticks of one flush, sorted by aggId, in a compact binary form.
// Layout (little-endian): u8 format, u16 symbol length, symbol (UTF-8), u32 count, then per tick
// varint aggId delta, zigzag varint tradeTime delta, f64 price, f64 qty, u8 flags (1 = buyer is maker),
// zigzag varint recvTime - tradeTime. About 20 bytes a tick instead of ~120 as JSON.
import type { Tick } from '../store/types';

const FORMAT = 1;

export interface TickBatch {
  symbol: string;
  /** Sorted by aggId, no id twice. */
  ticks: Tick[];
}

/** The message id JetStream dedups on: the symbol and the batch's aggId range. */
export function batchMessageId(symbol: string, firstAggId: number, lastAggId: number): string {
  return `${symbol}:${firstAggId}-${lastAggId}`;
}

class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  private at = 0;

  constructor(capacity: number) {
    this.buf = new Uint8Array(capacity);
    this.view = new DataView(this.buf.buffer);
  }

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.at + n));
    next.set(this.buf);
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): void { this.room(1); this.view.setUint8(this.at, v); this.at += 1; }
  u16(v: number): void { this.room(2); this.view.setUint16(this.at, v, true); this.at += 2; }
  u32(v: number): void { this.room(4); this.view.setUint32(this.at, v, true); this.at += 4; }
  f64(v: number): void { this.room(8); this.view.setFloat64(this.at, v, true); this.at += 8; }
  bytes(b: Uint8Array): void { this.room(b.length); this.buf.set(b, this.at); this.at += b.length; }

  /** Unsigned integers up to 2^53, 7 bits a byte (arithmetic, not bit operations: ids exceed 32 bits). */
  varint(v: number): void {
    this.room(8);
    while (v >= 0x80) {
      this.buf[this.at++] = (v % 0x80) + 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.at++] = v;
  }

  zigzag(v: number): void {
    this.varint(v < 0 ? -2 * v - 1 : 2 * v);
  }

  done(): Uint8Array { return this.buf.subarray(0, this.at); }
}

class ByteReader {
  private readonly view: DataView;
  private at = 0;

  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  private need(n: number): void {
    if (this.at + n > this.buf.length) throw new Error(`tick message truncated at byte ${this.at} of ${this.buf.length}`);
  }

  u8(): number { this.need(1); return this.view.getUint8(this.at++); }
  u16(): number { this.need(2); const v = this.view.getUint16(this.at, true); this.at += 2; return v; }
  u32(): number { this.need(4); const v = this.view.getUint32(this.at, true); this.at += 4; return v; }
  f64(): number { this.need(8); const v = this.view.getFloat64(this.at, true); this.at += 8; return v; }
  bytes(n: number): Uint8Array { this.need(n); const b = this.buf.subarray(this.at, this.at + n); this.at += n; return b; }

  varint(): number {
    let v = 0;
    let scale = 1;
    for (;;) {
      const b = this.u8();
      v += (b & 0x7f) * scale;
      if (b < 0x80) return v;
      scale *= 0x80;
      if (scale > 2 ** 56) throw new Error(`tick message has a varint longer than 8 bytes at byte ${this.at}`);
    }
  }

  zigzag(): number {
    const z = this.varint();
    return z % 2 === 1 ? -(z + 1) / 2 : z / 2;
  }

  get remaining(): number { return this.buf.length - this.at; }
}

/** Encodes a batch whose ticks are sorted by aggId (see `toBatches`). */
export function encodeTickBatch(batch: TickBatch): Uint8Array {
  const out = new ByteWriter(16 + batch.symbol.length + batch.ticks.length * 24);
  out.u8(FORMAT);
  const name = new TextEncoder().encode(batch.symbol);
  out.u16(name.length);
  out.bytes(name);
  out.u32(batch.ticks.length);
  let prevId = 0;
  let prevTime = 0;
  for (const t of batch.ticks) {
    if (t.aggId < prevId) throw new Error(`encodeTickBatch: ${batch.symbol} ticks are not sorted by aggId (${t.aggId} after ${prevId})`);
    out.varint(t.aggId - prevId);
    out.zigzag(t.tradeTime - prevTime);
    out.f64(t.price);
    out.f64(t.qty);
    out.u8(t.isBuyerMaker ? 1 : 0);
    out.zigzag(Math.round(t.recvTime - t.tradeTime));
    prevId = t.aggId;
    prevTime = t.tradeTime;
  }
  return out.done();
}

export function decodeTickBatch(data: Uint8Array): TickBatch {
  const r = new ByteReader(data);
  const format = r.u8();
  if (format !== FORMAT) throw new Error(`tick message has format ${format}; this version reads format ${FORMAT} only (upgrade the consumer)`);
  const symbol = new TextDecoder().decode(r.bytes(r.u16()));
  const count = r.u32();
  const ticks: Tick[] = new Array<Tick>(count);
  let aggId = 0;
  let tradeTime = 0;
  for (let i = 0; i < count; i++) {
    aggId += r.varint();
    tradeTime += r.zigzag();
    const price = r.f64();
    const qty = r.f64();
    const isBuyerMaker = (r.u8() & 1) === 1;
    const recvTime = tradeTime + r.zigzag();
    ticks[i] = { symbol, aggId, tradeTime, price, qty, isBuyerMaker, recvTime };
  }
  if (r.remaining !== 0) throw new Error(`tick message for ${symbol} has ${r.remaining} bytes after its ${count} ticks`);
  return { symbol, ticks };
}

/** Splits ticks into one batch per symbol, each sorted by aggId with repeated ids dropped. */
export function toBatches(ticks: readonly Tick[]): TickBatch[] {
  const bySymbol = new Map<string, Tick[]>();
  for (const t of ticks) {
    const list = bySymbol.get(t.symbol);
    if (list) list.push(t);
    else bySymbol.set(t.symbol, [t]);
  }
  return [...bySymbol].map(([symbol, list]) => {
    list.sort((a, b) => a.aggId - b.aggId);
    return { symbol, ticks: list.filter((t, i) => i === 0 || t.aggId !== list[i - 1].aggId) };
  });
}
