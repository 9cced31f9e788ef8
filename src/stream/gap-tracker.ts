// Finds ids missing from the stream per symbol. A hole is only a gap once it has stayed open for a grace period:
// after a consumer restart, messages it had taken but not acknowledged come back only after JetStream's ack wait,
// later than newer messages, and fill the holes those left.

export interface IdHole {
  symbol: string;
  fromId: number;
  toId: number;
  seenAt: number;
}

export class GapTracker {
  private readonly last = new Map<string, number>();
  private holes: IdHole[] = [];

  /** `highWaterMarks`: the highest id already stored per symbol (holes are counted from there). */
  constructor(highWaterMarks: ReadonlyMap<string, number>, private readonly graceMs: number) {
    for (const [s, id] of highWaterMarks) this.last.set(s, id);
  }

  /** Takes one message's ids (sorted ascending). */
  observe(symbol: string, ids: readonly number[], now: number): void {
    let last = this.last.get(symbol);
    for (const id of ids) {
      if (last !== undefined && id <= last) {
        this.fill(symbol, id);
        continue;
      }
      if (last !== undefined && id > last + 1) this.holes.push({ symbol, fromId: last + 1, toId: id - 1, seenAt: now });
      last = id;
    }
    if (last !== undefined) this.last.set(symbol, last);
  }

  /** Removes and returns the holes still open after the grace period: gaps to backfill. */
  takeDue(now: number): IdHole[] {
    const due = this.holes.filter((h) => now - h.seenAt >= this.graceMs);
    if (due.length) this.holes = this.holes.filter((h) => now - h.seenAt < this.graceMs);
    return due;
  }

  /** Ids in holes that may still be filled by redelivered messages. */
  pendingIds(): number {
    return this.holes.reduce((n, h) => n + h.toId - h.fromId + 1, 0);
  }

  private fill(symbol: string, id: number): void {
    const i = this.holes.findIndex((h) => h.symbol === symbol && h.fromId <= id && id <= h.toId);
    if (i < 0) return;
    const h = this.holes[i];
    const parts: IdHole[] = [];
    if (h.fromId < id) parts.push({ ...h, toId: id - 1 });
    if (id < h.toId) parts.push({ ...h, fromId: id + 1 });
    this.holes.splice(i, 1, ...parts);
  }
}
