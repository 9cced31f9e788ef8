import { PanelKernel } from './kernel';
import { messageOf, setPanelMessage, showError } from './messages';
import type { PairsLabModel } from './model';
import type { ConfigData, FeedSource } from './protocol';
import type { IPairsLabSettings, KernelState } from './tokens';
import { normalizeSymbols, pairWithin, universeProblem } from './universe';

/** The settings the kernel session is opened with. An open panel applies their changes to its session. */
/** Errors that mean the exchange could not be reached (DNS, refused or reset connections, timeouts). */
const UNREACHABLE = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|fetch failed|timed out|unreachable/i;

export type SessionSettings = Pick<IPairsLabSettings, 'universe' | 'dataDir' | 'feedSource'>;

/** What the session needs from the panel's refresh loop. */
export interface IRefreshLoop {
  /** Asks for new bars now; the loop then keeps its schedule. */
  refresh(): Promise<void>;
  /** Stops the timer until the next refresh. */
  pause(): void;
}

const DEAD_TEXT = 'The kernel died. Use "Restart kernel" above to start a new one; the panel then reloads.';

/**
 * The panel's kernel session: starts and restarts the kernel, opens the store session after every library load,
 * and changes its universe, feed source and data directory, from the sidebar or from the settings. The charts and
 * controls keep reading the model; the session writes the configuration, the feed health and the sidebar messages.
 */
export class PanelSession {
  constructor(
    private readonly model: PairsLabModel,
    readonly kernel: PanelKernel,
    settings: SessionSettings,
    private readonly loop: IRefreshLoop,
  ) {
    this._settings = copySettings(settings);
    kernel.reloaded.connect(() => void this.serialize(() => this.open()));
    kernel.stateChanged.connect((_, state) => this.onKernelState(state));
  }

  /** Starts the kernel; the library load then opens the session and the first refresh follows. */
  async start(): Promise<void> {
    try {
      await this.kernel.start();
    } catch (err) {
      showError(this.model, err, 'The Pairs Lab kernel could not start');
    }
  }

  /** Replaces the kernel with a fresh one; the session opens again when it is back (same store, same universe). */
  async restart(notice = 'Restarting the kernel; the panel reconnects and reloads when it is back.'): Promise<void> {
    this.loop.pause();
    setPanelMessage(this.model, { level: 'info', text: notice });
    try {
      await this.kernel.restart();
    } catch (err) {
      showError(this.model, err, 'The kernel could not restart');
    }
  }

  /**
   * Applies changed session settings to the open session: a new data directory reopens it on that store, a new
   * universe or feed source changes it in place. Before the session first opened (or while the kernel is down)
   * the settings are only kept: opening reads them.
   */
  applySettings(next: SessionSettings): Promise<void> {
    this._settings = copySettings(next);
    return this.serialize(() => this.applyChanges());
  }

  /** Replaces the universe with checked symbols (from the sidebar, or from the settings); the pair stays in it. */
  async setUniverse(symbols: string[], fromSettings = false): Promise<void> {
    try {
      const { data } = await this.kernel.request('setUniverse', { symbols });
      this.model.setConfig(data);
      const text = `${fromSettings ? 'Universe setting applied' : 'Universe'}: ${data.universe.join(', ')}.${this.keepPairWithin(data.universe)}`;
      setPanelMessage(this.model, { level: 'info', text });
    } catch (err) {
      showError(this.model, err, fromSettings ? 'The universe setting was not applied' : 'The universe was not changed');
    }
  }

  /** Records from `source` (or stops recording); `prefix` starts the notice. */
  async setFeedSource(source: FeedSource | 'none', prefix = ''): Promise<void> {
    try {
      const { data } = await this.kernel.request('setFeedSource', { source });
      this.model.setConfig(data);
      const text = source === 'simulated'
        ? 'Recording from the simulated exchange (labelled SIMULATED).'
        : source === 'binance' ? 'Recording from Binance USD-M futures.' : 'Recording stopped: the panel only reads the store.';
      setPanelMessage(this.model, { level: 'info', text: `${prefix}${text}` });
      void this.loop.refresh();
    } catch (err) {
      if (source === 'binance' && UNREACHABLE.test(messageOf(err))) {
        setPanelMessage(this.model, {
          level: 'warning',
          text: `${prefix}Binance cannot be reached (${messageOf(err)}). Check the network, or choose "Simulated exchange" under Feed source to keep recording offline.`,
        });
      } else if (source === 'binance') {
        // refused for a reason of its own (e.g. the store holds simulated trades): the kernel's message says what to do
        showError(this.model, err, `${prefix}Recording from Binance did not start`);
      } else {
        showError(this.model, err, `${prefix}The feed source was not changed`);
      }
      // The select shows what the kernel really records from.
      if (this.model.config) this.model.setConfig(this.model.config);
    }
  }

  dispose(): void {
    this.kernel.dispose();
  }

  /**
   * After the library loaded (first start, restart) or when the data directory setting changed: opens the store
   * session with the settings, then records (unless a recorder already writes the store) and refreshes.
   */
  private async open(reopening = false): Promise<void> {
    const s = this._settings;
    const previous = this.model.config;
    // A restart on the same store keeps the universe the session had (e.g. edited in the sidebar), unless the
    // universe setting changed meanwhile; a first start or another store takes the setting's.
    const sameStore = !reopening && !this._storeChanging;
    this._storeChanging = false;
    const settingUnchanged = this._opened !== null && this._opened.universe.join(',') === s.universe.join(',');
    const universe = sameStore && previous !== null && settingUnchanged ? previous.universe : s.universe;
    this._opened = copySettings(s);
    this.model.resetSeq();
    const notice = this._noticeAfterOpen;
    this._noticeAfterOpen = null;
    try {
      const { data } = await this.kernel.request('init', {
        ...(s.dataDir ? { dataDir: s.dataDir } : {}),
        ...(universe.length >= 2 ? { universe: [...universe] } : {}),
      });
      const storeChanged = previous !== null && previous.dataDir !== data.dataDir;
      // Bars, alerts and results of another store must not stay on screen as if they came from this one.
      if (storeChanged) this.model.clearData();
      this.model.setConfig(data);
      const pairNote = storeChanged ? this.keepPairWithin(data.universe) : '';
      // `npm start` runs the recorder beside JupyterLab: attach to it rather than start a second writer on the store.
      const health = await this.kernel.request('health', {});
      this.model.setHealth(health.data);
      const prefix = notice ? `${notice(data)}${pairNote} ` : '';
      setPanelMessage(this.model, prefix ? { level: 'info', text: prefix.trim() } : null);
      if (health.data.state !== 'attached' && data.feed === null && s.feedSource !== 'none') {
        await this.setFeedSource(s.feedSource, prefix);
      } else {
        await this.loop.refresh();
      }
    } catch (err) {
      if (!reopening) {
        showError(this.model, err, 'The session could not open');
        return;
      }
      // The kernel keeps the store it had; so does the panel.
      setPanelMessage(this.model, {
        level: 'error',
        text: `The data directory setting was not applied: ${messageOf(err)}${previous ? ` The panel stays on ${previous.dataDir}.` : ''}`,
      });
      void this.loop.refresh();
    }
  }

  private async applyChanges(): Promise<void> {
    const was = this._opened;
    const now = this._settings;
    // A kernel on its way (re)loading opens the session with these settings anyway; a dead one does on restart.
    if (!was || ['loading', 'restarting', 'dead', 'error'].includes(this.kernel.state)) return;
    this._opened = copySettings(now);
    if (now.dataDir !== was.dataDir) {
      await this.reopen(now.dataDir);
      return;
    }
    if (now.universe.join(',') !== was.universe.join(',')) await this.applyUniverse(now.universe);
    if (now.feedSource !== was.feedSource) await this.applyFeedSource(now.feedSource);
  }

  /** Opens the session on another store, in this kernel; the controls stay where the new store has the pair. */
  private async reopen(dataDir: string): Promise<void> {
    this.loop.pause();
    const before = this.model.config?.dataDir;
    if (dataDir === '') {
      // The kernel cannot be told "the default store" once it opened another: a fresh kernel opens it.
      this._noticeAfterOpen = (config) => `Data directory setting cleared: the panel reads the default store, ${config.dataDir}.`;
      this._storeChanging = true;
      await this.restart('Data directory setting cleared: restarting the kernel so that it opens the default store ($PAIRS_LAB_DATA, else data/ in the project); the panel reloads when it is back.');
      return;
    }
    setPanelMessage(this.model, { level: 'info', text: `Data directory setting changed: opening the store in ${dataDir}${before ? ` instead of ${before}` : ''}…` });
    this._noticeAfterOpen = (config) => `Data directory setting: the panel reads the store in ${config.dataDir}.`;
    await this.open(true);
  }

  private async applyUniverse(setting: string[]): Promise<void> {
    const current = this.model.config?.universe ?? [];
    let symbols = normalizeSymbols(setting);
    if (symbols.length === 0) {
      // An empty setting means the symbols in the store.
      try {
        symbols = (await this.kernel.request('symbols', {})).data.symbols.map((s) => s.symbol);
      } catch (err) {
        showError(this.model, err, 'The universe setting was not applied');
        return;
      }
      if (symbols.length < 2) {
        setPanelMessage(this.model, { level: 'error', text: `Universe setting: empty means the symbols in the store, but the store has ${symbols.length === 0 ? 'none' : `only ${symbols[0]}`}. The panel keeps its universe (${current.join(', ')}).` });
        return;
      }
    }
    const problem = universeProblem(symbols);
    if (problem) {
      setPanelMessage(this.model, { level: 'error', text: `Universe setting: ${problem} The panel keeps its universe (${current.join(', ')}).` });
      return;
    }
    if (symbols.join(',') === current.join(',')) return;
    await this.setUniverse(symbols, true);
  }

  private async applyFeedSource(source: FeedSource | 'none'): Promise<void> {
    const label = source === 'none' ? 'none' : source === 'simulated' ? 'the simulated exchange' : 'Binance';
    if (this.model.health?.state === 'attached') {
      setPanelMessage(this.model, {
        level: 'info',
        text: `Feed source setting: ${label}. Another recorder writes this store (attached), so the panel's kernel does not record; the setting applies when the panel records itself.`,
      });
      return;
    }
    if ((source === 'none' ? null : source) === (this.model.config?.feed ?? null)) return;
    await this.setFeedSource(source, 'Feed source setting: ');
  }

  /** Moves the pair into `universe` where it left it and drops added legs outside it; returns a note for the user, or '' when all stayed. */
  private keepPairWithin(universe: readonly string[]): string {
    const c = this.model.controls;
    const pair = pairWithin(universe, c.y, c.x);
    const legs = c.legs.filter((s) => universe.includes(s) && s !== pair.y && s !== pair.x);
    if (pair.y === c.y && pair.x === c.x && legs.length === c.legs.length) return '';
    this.model.setControls({ ...pair, legs });
    return ` ${[c.y, c.x, ...c.legs].join(' / ')} is not in it: showing ${[pair.y, pair.x, ...legs].join(' / ')}.`;
  }

  private onKernelState(state: KernelState): void {
    if (state === 'dead') setPanelMessage(this.model, { level: 'error', text: DEAD_TEXT });
    if (state === 'ready' && this.model.message('panel')?.text === DEAD_TEXT) setPanelMessage(this.model, null);
    if (state === 'restarting') this.loop.pause();
  }

  /** Session changes run one after another, so a settings change never interleaves with an opening session. */
  private serialize(task: () => Promise<void>): Promise<void> {
    const run = this._chain.then(task);
    this._chain = run.catch(() => undefined);
    return run;
  }

  private _settings: SessionSettings;
  /** The settings the session was last opened or changed with; `null` until it first opened. */
  private _opened: SessionSettings | null = null;
  /** Set while a restart is on its way to open another store (the data directory setting was cleared). */
  private _storeChanging = false;
  /** Replaces the sidebar notice once the session opened, e.g. after a settings change restarted the kernel. */
  private _noticeAfterOpen: ((config: ConfigData) => string) | null = null;
  private _chain: Promise<void> = Promise.resolve();
}

function copySettings(s: SessionSettings): SessionSettings {
  return { universe: [...s.universe], dataDir: s.dataDir.trim(), feedSource: s.feedSource };
}
