// The paper books of the panel's store: those this kernel trades, and the rest shown from their journals. A book
// nobody trades (its kernel was restarted or killed) is resumed here when the panel asks for the books.
import { checkPaperEvents, foldBook } from '../../../src/paper';
import { PaperBookLockedError, type StoreReader, listPaperBooks, readPaperJournal } from '../../../src/store';
import type { PairView } from '../analysis/pairView';
import { PaperTrader } from '../paper/paperTrader';
import type { PaperData, PaperParams } from '../protocol';
import { paperBookData } from './paperReplies';

const STEP_EVERY_MS = 1_000;

export class PaperBooks {
  private readonly traders = new Map<string, PaperTrader>();

  constructor(private readonly reader: StoreReader) {}

  async start(view: PairView, req: PaperParams): Promise<void> {
    const name = req.name ?? `${req.y}-${req.x}-${req.timeframe}`;
    const held = this.traders.get(name);
    if (held !== undefined) {
      this.traders.delete(name);
      await held.close();
    }
    this.traders.set(name, await view.paperTrade(req, { ...req, name, everyMs: STEP_EVERY_MS }));
  }

  async stop(name: string): Promise<void> {
    // a kernel that just restarted adopts the book before its first report
    const t = listPaperBooks(this.reader.dir).includes(name) ? this.traders.get(name) ?? await this.adopt(name) : undefined;
    if (t === undefined || t === null) throw new Error(`paper book "${name}" is not traded by this kernel (it is traded by another process, or was never started)`);
    await t.stop();
  }

  /** Resumes a book nobody trades (null: another live process holds it). */
  private async adopt(name: string): Promise<PaperTrader | null> {
    const trader = await PaperTrader.open(this.reader, this.reader.dir, name).catch((err: unknown) => {
      if (err instanceof PaperBookLockedError) return null;
      throw err;
    });
    if (trader === null) return null;
    this.traders.set(name, trader);
    if (!trader.status().state.stopped) trader.follow(STEP_EVERY_MS);
    return trader;
  }

  /** Every book of the store, `first` (the pair on screen) first, the others by name. */
  async report(first: string): Promise<PaperData> {
    const dir = this.reader.dir;
    const names = listPaperBooks(dir);
    for (const name of names) if (!this.traders.has(name)) await this.adopt(name);
    const books = [];
    for (const name of names) {
      const t = this.traders.get(name);
      if (t !== undefined) {
        const status = t.status().steppedAt === null ? await t.step().catch(() => t.status()) : t.status();
        books.push(paperBookData(status.state, status));
      } else {
        books.push(paperBookData(foldBook(checkPaperEvents(readPaperJournal(dir, name), `paper book ${name}`)), null));
      }
    }
    books.sort((a, b) => Number(b.name === first) - Number(a.name === first) || (a.name < b.name ? -1 : 1));
    return { books };
  }

  async close(): Promise<void> {
    for (const t of this.traders.values()) await t.close();
    this.traders.clear();
  }
}
