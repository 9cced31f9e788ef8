// The panel's `paper` request on a live store: start the pair's book, see it in the report, close the session (as a
// kernel restart does) and find the book resumed by the next report, then stop it; bad requests are refused.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { answerPanelRequest, closePanelSession } from '../../kernel-lib/src/panel/handler';
import type { PanelReplyData, PanelRequest, PanelRequestKind } from '../../kernel-lib/src/protocol';
import { waitFor } from '../feed/helpers';

const dataDir = mkdtempSync(path.join(tmpdir(), 'pairs-lab-panel-paper-'));
afterAll(async () => {
  await closePanelSession();
  rmSync(dataDir, { recursive: true, force: true });
});

async function ok<K extends PanelRequestKind>(request: PanelRequest<K>): Promise<PanelReplyData[K]> {
  const reply = await answerPanelRequest(JSON.stringify(request));
  if (!reply.ok) throw new Error(`${request.kind} refused: ${JSON.stringify(reply.error)}`);
  return reply.data as PanelReplyData[K];
}

const view = { y: 'BTCUSDT', x: 'ETHUSDT', timeframe: '1s', window: 10, hedge: 'ols', hedgeWindow: 20 } as const;
const pair = { ...view, entry: 1, exit: 0.2 } as const;

describe('the panel\'s paper books', () => {
  it('start, report, resume after the session closes, stop', async () => {
    await ok({ id: 'i', kind: 'init', dataDir, universe: ['BTCUSDT', 'ETHUSDT'], feed: 'simulated' });
    await waitFor(async () => (await ok({ id: 's', kind: 'snapshot', ...view })).series.time.length > 5, 30_000, 'bars');
    const started = await ok({ id: 'p1', kind: 'paper', ...pair, action: 'start' });
    expect(started.books.map((b) => [b.name, b.state])).toEqual([['BTCUSDT-ETHUSDT-1s', 'here']]);
    await waitFor(async () => ((await ok({ id: 'p2', kind: 'paper', ...pair, action: 'status' })).books[0].closedUntil ?? 0) > started.books[0].startAt, 20_000, 'a closed bar taken');

    // a new session (a restarted kernel) adopts the book nobody trades
    await closePanelSession();
    await ok({ id: 'i2', kind: 'init', dataDir, universe: ['BTCUSDT', 'ETHUSDT'] });
    const resumed = await ok({ id: 'p3', kind: 'paper', ...pair, action: 'status' });
    expect(resumed.books.map((b) => [b.name, b.state, b.startAt])).toEqual([['BTCUSDT-ETHUSDT-1s', 'here', started.books[0].startAt]]);
    // a stop as the first request of a new session adopts the book first
    await closePanelSession();
    await ok({ id: 'i3', kind: 'init', dataDir, universe: ['BTCUSDT', 'ETHUSDT'] });
    const stopped = await ok({ id: 'p4', kind: 'paper', ...pair, action: 'stop' });
    expect(stopped.books[0].state).toBe('stopped');
    expect(JSON.stringify(stopped)).not.toContain('undefined');

    const refused = await answerPanelRequest(JSON.stringify({ id: 'bad', kind: 'paper', ...pair, action: 'start', name: '../escape' }));
    expect(refused.ok).toBe(false);
    expect(JSON.stringify(refused)).toMatch(/name/);
  }, 90_000);
});
