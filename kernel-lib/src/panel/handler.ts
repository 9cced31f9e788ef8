// The panel's entry point in the kernel: one JSON string in, exactly one reply display out.
// The panel executes `await pairsLab.handlePanelRequest(<JSON string literal>)`; nothing in the request is
// ever evaluated, and the reply goes out as one `display_data` of the protocol's private MIME type.
import path from 'node:path';
import { CsvImportError } from '../../../src/store';
import { REPLY_MIME, type PanelError, type PanelReply, type PanelRequest } from '../protocol';
import { displayBundle } from '../display/emit';
import { RequestError } from './schema';
import { parsePanelRequest, peekRequestId } from './requests';
import { type Answer, PanelSession } from './session';
import { basketBacktestData, basketData } from './basketReplies';

let session: PanelSession | null = null;
let opening: Promise<PanelSession> | null = null;

/** The panel session, opened on the default store on first use; a new `dataDir` replaces it once it opened. */
async function currentSession(dataDir?: string): Promise<PanelSession> {
  if (session && (dataDir === undefined || session.lab.dataDir === path.resolve(dataDir))) return session;
  if (!session) {
    opening ??= PanelSession.open(dataDir).finally(() => { opening = null; });
    session = await opening;
    return session;
  }
  const next = await PanelSession.open(dataDir);
  const old = session;
  session = next;
  await old.close();
  return next;
}

/** Closes the panel session (stops its recorder, closes the store). The next request opens a new one. */
export async function closePanelSession(): Promise<void> {
  const old = session;
  session = null;
  if (old) await old.close();
}

/** An error reply: request mistakes name their field; CSV problems list their lines. */
function errorReply(id: string, err: unknown): PanelError {
  if (err instanceof RequestError) return { id, ok: false, error: { message: err.message, ...(err.field ? { field: err.field } : {}) } };
  if (err instanceof CsvImportError) {
    return { id, ok: false, error: { message: err.message, field: 'text', details: err.issues.map((i) => ({ line: i.line, column: i.column, reason: i.reason })) } };
  }
  return { id, ok: false, error: { message: err instanceof Error ? err.message : String(err) } };
}

async function dispatch(req: PanelRequest): Promise<Answer<PanelRequest['kind']>> {
  const s = await currentSession(req.kind === 'init' ? req.dataDir : undefined);
  switch (req.kind) {
    case 'init': return { data: await s.init(req) };
    case 'config': return { data: s.config() };
    case 'symbols': return { data: await s.symbols() };
    case 'snapshot': return s.snapshot(req);
    case 'seriesRange': return s.seriesRange(req);
    case 'backtest': return s.backtest(req);
    case 'paper': return s.paper(req);
    case 'paramSearch': return s.paramSearch(req);
    case 'scan': return s.scan(req);
    case 'importCsv': return s.importCsv(req);
    case 'exportCsv': return s.exportCsv(req);
    case 'alerts': return s.alerts(req);
    case 'health': return { data: await s.lab.health() };
    case 'watchlist': return s.watchlist(req);
    case 'setUniverse': return { data: await s.setUniverse(req.symbols) };
    case 'setFeedSource': return { data: await s.setFeedSource(req.source) };
    case 'basket': return { data: await basketData(s.lab, req) };
    case 'basketBacktest': return { data: await basketBacktestData(s.lab, req) };
  }
}

/**
 * Answers one panel request (the JSON text of a {@link PanelRequest}) without displaying anything.
 * Never throws: every failure becomes an error reply.
 */
export async function answerPanelRequest(json: string): Promise<PanelReply> {
  const id = peekRequestId(typeof json === 'string' ? json : '');
  try {
    if (typeof json !== 'string') throw new RequestError('handlePanelRequest takes one argument: the request as a JSON string');
    const universe = session?.universe ?? (await currentSession()).universe;
    const req = parsePanelRequest(json, universe);
    const answer = await dispatch(req);
    return { id: req.id, ok: true, kind: req.kind, ...(answer.seq !== undefined ? { seq: answer.seq } : {}), data: answer.data } as PanelReply;
  } catch (err) {
    return errorReply(id, err);
  }
}

/**
 * The panel's entry point: answers one request and displays the reply as one `display_data` of MIME
 * `application/vnd.pairs-lab.reply+json`. Returns nothing, so tslab prints nothing else.
 */
export async function handlePanelRequest(json: string): Promise<void> {
  displayBundle({ [REPLY_MIME]: await answerPanelRequest(json) });
}
