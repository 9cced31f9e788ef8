// A FIFO that a producer pushes into synchronously and one consumer drains with `for await`.
// It tells the producer when it passes `highWater` and when it has drained to `lowWater`, so the producer
// can stop reading its sockets instead of growing without bound.

export interface QueueWatermarks {
  highWater: number;
  lowWater: number;
  onHigh(): void;
  onLow(): void;
}

export class AsyncQueue<T> implements AsyncIterable<T> {
  private items: T[] = [];
  private head = 0;
  private waiter: ((r: IteratorResult<T>) => void) | null = null;
  private ended = false;
  private high = false;

  constructor(private readonly marks: QueueWatermarks) {}

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    if (this.ended) return;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = null;
      w({ value: item, done: false });
      return;
    }
    this.items.push(item);
    if (!this.high && this.length >= this.marks.highWater) {
      this.high = true;
      this.marks.onHigh();
    }
  }

  /** Ends iteration once the queued items are consumed. */
  end(): void {
    this.ended = true;
    if (this.waiter && this.length === 0) {
      const w = this.waiter;
      this.waiter = null;
      w({ value: undefined, done: true });
    }
  }

  private shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined as T;
    this.head++;
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    if (this.high && this.length <= this.marks.lowWater) {
      this.high = false;
      this.marks.onLow();
    }
    return item;
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        if (this.length > 0) return Promise.resolve({ value: this.shift() as T, done: false });
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => { this.waiter = resolve; });
      },
      return: () => {
        this.end();
        this.items = [];
        this.head = 0;
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
