import { SessionContext, type ISessionContext } from '@jupyterlab/apputils';
import { KernelMessage, type ServiceManager, type Kernel } from '@jupyterlab/services';
import { Signal, type ISignal } from '@lumino/signaling';
import { KERNEL_SPEC, type KernelState } from './tokens';
import { KernelChangedError, PanelRequestError, kernelFailure } from './kernelErrors';

export { KernelChangedError, PanelRequestError } from './kernelErrors';
import {
  REPLY_MIME, type PanelReply, type PanelRequestKind, type PanelRequestParams, type PanelReplyData,
} from './protocol';

const LOAD_CODE = "import * as pairsLab from 'pairs-lab';";
/** How long a request's shell reply may wait for its broadcast output before the kernel counts as cut off, ms. */
const IOPUB_GRACE_MS = 10_000;

/** A successful reply's data with its `seq` (snapshot replies only). */
export interface IReply<K extends PanelRequestKind> {
  data: PanelReplyData[K];
  seq?: number;
}

/**
 * The panel's kernel: a `pairs-lab` session that loads the kernel library once per kernel (again after a restart)
 * and answers typed requests. Each request is one execution whose only argument is a JSON string literal.
 */
export class PanelKernel {
  constructor(private readonly serviceManager: ServiceManager.IManager, private readonly path: string) {
    this._sessionContext = this.createSessionContext();
  }

  get sessionContext(): ISessionContext {
    return this._sessionContext;
  }

  get state(): KernelState {
    return this._state;
  }

  /** Fires when the kernel state (as the panel shows it) changes. */
  get stateChanged(): ISignal<this, KernelState> {
    return this._stateChanged;
  }

  /** Fires after the library was (re)loaded into a fresh kernel: the panel then re-opens its session. */
  get reloaded(): ISignal<this, void> {
    return this._reloaded;
  }

  get kernel(): Kernel.IKernelConnection | null {
    return this.sessionContext.session?.kernel ?? null;
  }

  async start(): Promise<void> {
    this.setState('starting');
    try {
      await this.sessionContext.initialize();
      await this.sessionContext.ready;
      if (!this.kernel) throw new PanelRequestError(`No kernel started. Check that the "${KERNEL_SPEC}" kernelspec is installed (run \`npm run setup\`), then restart the kernel from the panel.`);
      await this.ensureLoaded();
    } catch (err) {
      this.setState('error');
      throw err;
    }
  }

  /** Sends one request; requests run one at a time in the order they were made. */
  request<K extends PanelRequestKind>(kind: K, params: PanelRequestParams[K]): Promise<IReply<K>> {
    const run = this._queue.then(() => this.send(kind, params));
    this._queue = run.then(() => undefined, () => undefined);
    return run;
  }

  /**
   * Replaces the session and its kernel with fresh ones; requests made meanwhile wait, then the library is loaded
   * again. Not an in-place restart, nor a kernel change within the session: with a tslab kernel on JupyterLab 4.6.4
   * both were seen to leave the browser's connection without replies (the new kernel's websocket, opened with the
   * old client session id, failed on the server), while a new session always connects.
   */
  async restart(): Promise<void> {
    this._loaded = null;
    this.setState('restarting');
    const restarting = (async () => {
      const old = this._sessionContext;
      await old.shutdown().catch(() => undefined);
      old.dispose();
      this._sessionContext = this.createSessionContext();
      await this._sessionContext.initialize();
      await this._sessionContext.ready;
    })();
    this._restarting = restarting.catch(() => undefined);
    try {
      await restarting;
    } finally {
      this._restarting = null;
    }
    await this.ensureLoaded();
  }

  dispose(): void {
    Signal.clearData(this);
    this._sessionContext.dispose();
  }

  private createSessionContext(): SessionContext {
    const context = new SessionContext({
      sessionManager: this.serviceManager.sessions,
      specsManager: this.serviceManager.kernelspecs,
      path: this.path,
      name: 'Pairs Lab panel',
      type: 'pairs-lab-panel',
      kernelPreference: { name: KERNEL_SPEC, shouldStart: true, canStart: true, autoStartDefault: false, shutdownOnDispose: true },
    });
    context.statusChanged.connect(this.onStatus, this);
    context.kernelChanged.connect(this.onKernelChanged, this);
    context.connectionStatusChanged.connect(this.onStatus, this);
    return context;
  }

  private async send<K extends PanelRequestKind>(kind: K, params: PanelRequestParams[K]): Promise<IReply<K>> {
    const id = `${kind}-${++this._counter}`;
    const request = { ...params, id, kind };
    // The request travels as data: a JSON text inside a JS string literal, the handler's only argument.
    const code = `await pairsLab.handlePanelRequest(${JSON.stringify(JSON.stringify(request))})`;
    let reply: PanelReply | null;
    try {
      reply = await this.execute(await this.loadedKernel(), code, id, kind);
    } catch (err) {
      if (!(err instanceof KernelChangedError)) throw err;
      // The kernel it went to is gone or empty: load the library into the one there now and send it once more.
      if (!this._restarting) this._loaded = null;
      reply = await this.execute(await this.loadedKernel(), code, id, kind);
    }
    if (!reply) throw new PanelRequestError(`The kernel did not answer the "${kind}" request. If it keeps happening, restart the kernel from the panel.`);
    if (!reply.ok) throw new PanelRequestError(reply.error.message, reply.error.field, reply.error.details);
    return { data: reply.data as PanelReplyData[K], seq: reply.seq };
  }

  /**
   * The kernel that runs the next request, with the library loaded into it. A restart (ours, the server's, or a
   * kernel change in the session) can replace the kernel between the load and the request: a request sent to a
   * fresh kernel fails to compile (`pairsLab` is not declared there), so the load is checked against the kernel.
   */
  private async loadedKernel(): Promise<Kernel.IKernelConnection> {
    for (let attempt = 0; attempt < 5; attempt++) {
      if (this._restarting) await this._restarting;
      await this.ensureLoaded();
      const kernel = this.kernel;
      if (kernel && kernel.id === this._loadedInto && !this._restarting) return kernel;
      if (this._loaded && !this._restarting) this._loaded = null;
    }
    throw new KernelChangedError('The kernel kept changing while the request waited (restarts in a row). It will be sent again on the next refresh.');
  }

  private ensureLoaded(): Promise<void> {
    if (!this._loaded) {
      const loading = (async () => {
        this.setState('loading');
        await this.sessionContext.ready;
        await this.waitForIopub();
        const kernel = this.kernel;
        if (!kernel) throw new PanelRequestError('The Pairs Lab kernel is not running. Use "Restart kernel" in the panel to start it again.');
        await this.execute(kernel, LOAD_CODE, null, 'library load');
        this._loadedInto = kernel.id;
        this.setState('ready');
        this._reloaded.emit();
      })();
      this._loaded = loading;
      loading.catch(() => {
        if (this._loaded === loading) this._loaded = null;
      });
    }
    return this._loaded;
  }

  /**
   * Waits until the kernel's broadcast channel delivers messages. Right after a kernel starts, its first status
   * messages can be lost before the subscription is up ("slow joiner"); an execution whose final idle status is lost
   * never completes, so ask for kernel info until a status message comes back.
   */
  private async waitForIopub(): Promise<void> {
    for (let attempt = 0; attempt < 60; attempt++) {
      const kernel = this.kernel;
      if (!kernel) break;
      const seen = new Promise<boolean>((resolve) => {
        const timer = window.setTimeout(() => done(false), 1000);
        const onMessage = () => done(true);
        const done = (ok: boolean) => {
          window.clearTimeout(timer);
          kernel.iopubMessage.disconnect(onMessage);
          resolve(ok);
        };
        kernel.iopubMessage.connect(onMessage);
      });
      kernel.requestKernelInfo().catch(() => undefined);
      if (await seen) return;
    }
    throw new PanelRequestError('The Pairs Lab kernel does not answer. Use "Restart kernel" in the panel to start a new one.');
  }

  /**
   * Runs `code` on `kernel`; resolves with the reply display whose id is `id`, if any. Errors become
   * PanelRequestErrors that say what failed (`what`) and what to do.
   */
  private async execute(kernel: Kernel.IKernelConnection, code: string, id: string | null, what: string): Promise<PanelReply | null> {
    if (kernel.isDisposed || kernel !== this.kernel) throw new KernelChangedError(`The kernel was replaced before the "${what}" request ran. It will be sent again on the next refresh.`);
    if (kernel.status === 'dead') throw new PanelRequestError('The Pairs Lab kernel died. Use "Restart kernel" in the panel to start a new one.');
    let reply: PanelReply | null = null;
    // tslab reports a failed cell on stderr (compile diagnostics, uncaught exceptions), not as an error message
    let errorText = '';
    let stderr = '';
    const future = kernel.requestExecute({ code, silent: false, store_history: false, stop_on_error: false });
    future.onIOPub = (msg) => {
      if (KernelMessage.isDisplayDataMsg(msg)) {
        const value = msg.content.data[REPLY_MIME] as unknown as PanelReply | undefined;
        if (value && (id === null || value.id === id || value.id === '')) reply = value;
      } else if (KernelMessage.isErrorMsg(msg)) {
        errorText = [msg.content.ename, msg.content.evalue].filter(Boolean).join(': ');
      } else if (KernelMessage.isStreamMsg(msg) && msg.content.name === 'stderr') {
        stderr += msg.content.text;
      }
    };
    // A kernel can run a request and reply on the shell channel while its broadcast messages (the reply display, the
    // idle status) are lost, and then `done` never settles. tslab 1.0.22 as released did this about every 170
    // executions (scripts/tslab-kernel.cjs fixes that one cause). A shell reply without them for IOPUB_GRACE_MS:
    // the panel restarts the kernel and sends the request again.
    let repliedAt: number | null = null;
    future.onReply = () => { repliedAt = Date.now(); };
    let timer: number | undefined;
    const lost = new Promise<'lost'>((resolve) => {
      timer = window.setInterval(() => { if (repliedAt !== null && Date.now() - repliedAt > IOPUB_GRACE_MS) resolve('lost'); }, 1000);
    });
    let done: KernelMessage.IExecuteReplyMsg;
    try {
      const outcome = await Promise.race([future.done, lost]);
      if (outcome === 'lost') {
        // two requests in flight can both find the channel gone: one restart serves both
        if (!this._restarting) void this.restart().catch(() => this.setState('error'));
        throw new KernelChangedError(`The kernel ran the "${what}" request but its output never arrived (its message channel stopped); the panel restarts the kernel and sends the request again.`);
      }
      done = outcome;
    } catch (err) {
      if (err instanceof KernelChangedError) throw err;
      throw new KernelChangedError(`The "${what}" request was cancelled (${err instanceof Error ? err.message : String(err)}): the kernel was restarted or shut down meanwhile. It will be sent again on the next refresh.`);
    } finally {
      window.clearInterval(timer);
    }
    if (done.content.status === 'abort') {
      throw new PanelRequestError(`The kernel skipped the "${what}" request right after an earlier error. It will be sent again on the next refresh.`);
    }
    if (done.content.status === 'error' && !reply) {
      throw kernelFailure(what, errorText || stderr.trim(), { restarting: this._restarting !== null || kernel !== this.kernel || kernel.isDisposed });
    }
    return reply;
  }

  private onStatus(): void {
    const status = this.sessionContext.session?.kernel?.status;
    const connection = this.sessionContext.session?.kernel?.connectionStatus;
    if (status === 'restarting' || status === 'autorestarting') {
      this._loaded = null;
      this.setState('restarting');
    } else if (status === 'dead' && !this._restarting) {
      this._loaded = null;
      this.setState('dead');
    } else if (connection === 'connecting' && this._state !== 'restarting') {
      this.setState('starting');
    } else if (status === 'busy' && this._state === 'ready') {
      this.setState('busy');
    } else if (status === 'idle' && this._state === 'busy') {
      this.setState('ready');
    } else if (status === 'idle' && this._state === 'restarting' && !this._restarting) {
      // The kernel is back but empty: the next request reloads the library and the panel re-opens its session.
      void this.ensureLoaded().catch(() => this.setState('error'));
    }
  }

  private onKernelChanged(): void {
    this._loaded = null;
    if (this.kernel && !this._restarting) void this.ensureLoaded().catch(() => this.setState('error'));
  }

  private setState(state: KernelState): void {
    if (state === this._state) return;
    this._state = state;
    this._stateChanged.emit(state);
  }

  private _sessionContext: SessionContext;
  private _state: KernelState = 'starting';
  private _loaded: Promise<void> | null = null;
  /** The id of the kernel the library was last loaded into. */
  private _loadedInto: string | null = null;
  private _queue: Promise<void> = Promise.resolve();
  /** Set while the panel restarts the kernel. */
  private _restarting: Promise<void> | null = null;
  private _counter = 0;
  private _stateChanged = new Signal<this, KernelState>(this);
  private _reloaded = new Signal<this, void>(this);
}

