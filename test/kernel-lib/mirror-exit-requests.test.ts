// Panel requests carry the rule's exit threshold from −entry (exit at the mirror level, past the mean) up to just
// below entry; anything outside is refused naming the field.
import { describe, expect, it } from 'vitest';
import { parsePanelRequest } from '../../kernel-lib/src/panel/requests';
import { RequestError } from '../../kernel-lib/src/panel/schema';

const universe = ['ALPHAUSDT', 'BETAUSDT'];
const pair = { y: 'ALPHAUSDT', x: 'BETAUSDT', timeframe: '1m' };
const parse = (request: object) => parsePanelRequest(JSON.stringify({ id: 'a', ...request }), universe);

function refusal(request: object): RequestError {
  try {
    parse(request);
  } catch (err) {
    if (err instanceof RequestError) return err;
    throw err;
  }
  throw new Error(`expected a refusal of ${JSON.stringify(request)}`);
}

describe('exit thresholds in panel requests', () => {
  it('accepts a negative exit down to −entry in a backtest, a paper book and a trades export', () => {
    for (const exit of [-2, -0.5, 0, 1.5]) {
      expect(parse({ kind: 'backtest', ...pair, entry: 2, exit })).toMatchObject({ exit });
      expect(parse({ kind: 'paper', ...pair, action: 'start', entry: 2, exit })).toMatchObject({ exit });
      expect(parse({ kind: 'exportCsv', ...pair, what: 'trades', entry: 2, exit })).toMatchObject({ exit });
    }
  });

  it('refuses an exit below −entry or at entry, naming the field and the bound', () => {
    const below = refusal({ kind: 'backtest', ...pair, entry: 2, exit: -2.5 });
    expect([below.field, below.message]).toEqual(['exit', 'exit (-2.5) must be at least −entry (-2): −entry exits at the mirror level']);
    const at = refusal({ kind: 'backtest', ...pair, entry: 2, exit: 2 });
    expect([at.field, at.message]).toEqual(['exit', 'exit (2) must be below entry (2)']);
    const far = refusal({ kind: 'backtest', ...pair, entry: 2, exit: -25 });
    expect(far.field).toBe('exit');
    expect(far.message).toMatch(/between -20 and 20/);
  });

  it('takes negative exits in a search grid when one pairs with an entry, and refuses a grid where none does', () => {
    expect(parse({ kind: 'paramSearch', ...pair, grid: { entry: [1, 2], exit: [-2, -1, 0] } })).toMatchObject({ grid: { exit: [-2, -1, 0] } });
    const none = refusal({ kind: 'paramSearch', ...pair, grid: { entry: [1, 2], exit: [-3, -2.5] } });
    expect(none.field).toBe('grid.exit');
    expect(none.message).toMatch(/at least −entry/);
  });
});
