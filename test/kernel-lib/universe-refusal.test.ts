// A new universe the feed refuses leaves the panel session as it was: the refusal is the reply, and the previous
// universe comes back with its recording (on the simulated exchange over loopback), which goes on writing the store.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { answerPanelRequest, closePanelSession } from '../../kernel-lib/src/panel/handler';
import type { PanelReplyData, PanelRequest, PanelRequestKind } from '../../kernel-lib/src/protocol';

const dataDir = mkdtempSync(path.join(tmpdir(), 'pairs-lab-universe-'));
afterAll(async () => {
  await closePanelSession();
  rmSync(dataDir, { recursive: true, force: true });
});

async function ok<K extends PanelRequestKind>(request: PanelRequest<K>): Promise<PanelReplyData[K]> {
  const reply = await answerPanelRequest(JSON.stringify(request));
  if (!reply.ok) throw new Error(`${request.kind} refused: ${reply.error.message}`);
  return reply.data as PanelReplyData[K];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The newest stored trade time of a symbol, once it is newer than `after` (waits up to 10 s). */
async function storedAfter(symbol: string, after: number): Promise<number> {
  for (let i = 0; i < 40; i++) {
    const last = (await ok({ id: 'sym', kind: 'symbols' })).symbols.find((s) => s.symbol === symbol)?.last ?? null;
    if (last !== null && last > after) return last;
    await sleep(250);
  }
  throw new Error(`no ${symbol} trade stored after ${after}`);
}

describe('a universe the feed refuses', () => {
  it('is refused in the reply, and the previous universe and its recording come back', async () => {
    const universe = ['BTCUSDT', 'ETHUSDT'];
    await ok({ id: 'init', kind: 'init', dataDir, universe, feed: 'simulated' });
    const recordedBefore = await storedAfter('ETHUSDT', 0);

    // A name the universe accepts (uploaded data may use dashes) but no exchange lists: the recorder refuses it.
    const reply = await answerPanelRequest(JSON.stringify({ id: 'u', kind: 'setUniverse', symbols: ['BTCUSDT', 'SOL-USDT'] }));
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.id).toBe('u');
    expect(reply.error.message).toMatch(/refused symbol SOL-USDT/);

    const config = await ok({ id: 'cfg', kind: 'config' });
    expect(config).toMatchObject({ universe, feed: 'simulated', simulated: true });
    const health = await ok({ id: 'h', kind: 'health' });
    expect(health).toMatchObject({ state: 'recording', source: 'simulated' });
    expect(health.connections.flatMap((c) => c.symbols)).toEqual(universe);
    // The restarted recording writes the previous universe's trades again, and a request for ETHUSDT is accepted.
    await storedAfter('ETHUSDT', recordedBefore);
    const snapshot = await ok({ id: 's', kind: 'snapshot', y: 'BTCUSDT', x: 'ETHUSDT', timeframe: '1s' });
    expect(snapshot.health.state).toBe('recording');
  }, 60_000);
});
