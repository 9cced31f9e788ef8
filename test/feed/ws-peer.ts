// A WebSocket client for tests of the simulated exchange's control protocol: every frame it was sent, and bounded waits
// for the frame a request or a state brings.
import WebSocket from 'ws';

export const isData = (f: string): boolean => f.startsWith('{"e":') || f.startsWith('{"stream":');

/** One client connection: every text frame it was sent, and waits (bounded) for the frame a request or a state brings. */
export class Peer {
  readonly frames: string[] = [];
  private readonly listeners = new Set<() => void>();
  private closeCode: number | undefined;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => { this.frames.push(d.toString()); this.notify(); });
    ws.on('close', (code) => { this.closeCode = code; this.notify(); });
  }

  static async open(url: string): Promise<Peer> {
    const ws = new WebSocket(url);
    const peer = new Peer(ws);
    await new Promise<void>((resolve, reject) => { ws.once('open', () => resolve()); ws.once('error', reject); });
    return peer;
  }

  get open(): boolean {
    return this.closeCode === undefined && this.ws.readyState === WebSocket.OPEN;
  }

  /** Index of the first frame at or after `from` that `pred` accepts, once there is one. */
  async waitFrame(pred: (f: string) => boolean, what: string, from = 0, timeoutMs = 10_000): Promise<number> {
    const find = (): number => this.frames.findIndex((f, i) => i >= from && pred(f));
    if (find() >= 0) return find();
    return new Promise<number>((resolve, reject) => {
      const check = (): void => {
        const i = find();
        if (i < 0 && this.closeCode === undefined) return;
        done();
        if (i >= 0) resolve(i);
        else reject(new Error(`connection closed (${String(this.closeCode)}) while waiting for ${what}`));
      };
      const timer = setTimeout(() => { done(); reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)); }, timeoutMs);
      const done = (): void => { clearTimeout(timer); this.listeners.delete(check); };
      this.listeners.add(check);
    });
  }

  /** Sends a request (an object, or raw text) and returns its reply: the first non-data frame after it. */
  async request(req: object | string): Promise<{ reply: string; index: number }> {
    const from = this.frames.length;
    this.ws.send(typeof req === 'string' ? req : JSON.stringify(req));
    const index = await this.waitFrame((f) => !isData(f), `the reply to ${typeof req === 'string' ? req : JSON.stringify(req)}`, from);
    return { reply: this.frames[index], index };
  }

  /** Waits until `n` data frames matching `pred` have arrived after `from`; returns the index of the last. */
  async waitData(pred: (f: string) => boolean, n: number, what: string, from = 0): Promise<number> {
    let at = from - 1;
    for (let k = 0; k < n; k++) at = await this.waitFrame((f) => isData(f) && pred(f), `${what} (${k + 1} of ${n})`, at + 1);
    return at;
  }

  close(): void {
    this.ws.close();
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }
}
