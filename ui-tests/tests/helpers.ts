import { expect, type Locator, type Page } from '@playwright/test';
import path from 'node:path';

export const PLUGIN = 'pairs-lab-extension:plugin';
export const SCREENSHOTS = path.join(__dirname, '..', 'screenshots');

/** Settings the tests run with: the simulated exchange, a short window so analytics start within seconds. */
export const TEST_SETTINGS = {
  feedSource: 'simulated',
  universe: ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'],
  ySymbol: 'BTCUSDT',
  xSymbol: 'ETHUSDT',
  timeframe: '1s',
  window: 20,
  refreshIntervalMs: 1000,
  openOnStart: true,
};

export function panel(page: Page): Locator {
  return page.locator('#pairs-lab-panel');
}

export function control(page: Page, name: string): Locator {
  return panel(page).locator(`[data-control="${name}"]`);
}

export function chart(page: Page, name: string): Locator {
  return panel(page).locator(`[data-chart="${name}"]`);
}

export async function openTab(page: Page, label: string): Promise<void> {
  await panel(page).locator('.lm-TabBar-tab', { hasText: label }).click();
}

/** Waits for the panel's kernel to be ready and for at least `minRefreshes` drawn refreshes. */
export async function waitForRefreshes(page: Page, minRefreshes: number, timeout = 90_000): Promise<number> {
  await expect.poll(async () => Number((await panel(page).getAttribute('data-refreshes')) ?? 0), { timeout }).toBeGreaterThanOrEqual(minRefreshes);
  return Number(await panel(page).getAttribute('data-refreshes'));
}

/** How many times the panel loaded the library into a kernel (first start, then once per restart). */
export async function kernelLoads(page: Page): Promise<number> {
  return Number((await panel(page).getAttribute('data-kernel-loads')) ?? 0);
}

export async function refreshes(page: Page): Promise<number> {
  return Number((await panel(page).getAttribute('data-refreshes')) ?? 0);
}

/**
 * Turns auto-refresh off and waits until a refresh already on its way has landed (no new one for 1.5 s); returns the
 * refresh count it stopped at.
 */
export async function stopRefreshes(page: Page): Promise<number> {
  await control(page, 'auto-refresh').uncheck();
  let stopped = -1;
  await expect.poll(async () => {
    const before = await refreshes(page);
    await page.waitForTimeout(1500);
    stopped = await refreshes(page);
    return stopped === before;
  }, { timeout: 30_000 }).toBe(true);
  return stopped;
}

/** What one chart draws: trace types, point counts, title, shapes, and a fingerprint of its y values. */
export interface ChartState {
  types: string[];
  points: number[];
  title: string;
  /** Levels of the horizontal lines and bands, except the OU levels (dash-dot lines). */
  shapes: number[];
  /** Levels of the dash-dot OU entry/exit lines. */
  ouLevels: number[];
  /** Per trace: its length, finite values and their sum, e.g. to tell which pane of a chart changed. */
  traceSamples: string[];
  fingerprint: string;
}

export async function chartState(page: Page, name: string): Promise<ChartState> {
  return chart(page, name).locator('.pl-Chart-plot').evaluate((gd) => {
    const g = gd as unknown as { data?: Array<Record<string, unknown>>; layout?: Record<string, unknown> };
    const data = g.data ?? [];
    const ys = (t: Record<string, unknown>) => (t.y ?? t.close ?? t.z ?? []) as unknown[];
    const sample = data.map((t) => {
      const y = ys(t).flat() as Array<number | null>;
      let sum = 0;
      let n = 0;
      for (const v of y) if (typeof v === 'number') { sum += v; n++; }
      return `${y.length}:${n}:${sum.toPrecision(12)}`;
    });
    const layout = g.layout ?? {};
    const title = ((layout.title as { text?: string } | undefined)?.text) ?? '';
    const all = (layout.shapes as Array<{ y0: number; line?: { dash?: string } }> | undefined) ?? [];
    const isOu = (s: { line?: { dash?: string } }) => s.line?.dash === 'dashdot';
    const shapes = all.filter((s) => !isOu(s)).map((s) => s.y0);
    const ouLevels = all.filter(isOu).map((s) => s.y0);
    return {
      types: data.map((t) => String(t.type)),
      points: data.map((t) => ((t.x as unknown[] | undefined) ?? []).length),
      title,
      shapes,
      ouLevels,
      traceSamples: sample,
      fingerprint: sample.join('|'),
    };
  });
}

/** Sets a range or text input's value the way a user would finish editing it (input + change events). */
export async function setValue(locator: Locator, value: string): Promise<void> {
  await locator.evaluate((node, v) => {
    const input = node as HTMLInputElement;
    input.value = v;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }, value);
}

/**
 * galata waits for the Launcher to be the active tab; with the Pairs Lab panel opening on start the panel is,
 * so the page counts as ready once the splash is gone and the panel is in the DOM.
 */
export async function waitForPanelApp({}, use: (fn: (page: Page) => Promise<void>) => Promise<void>): Promise<void> {
  await use(async (page: Page) => {
    await page.locator('#jupyterlab-splash').waitFor({ state: 'detached', timeout: 60_000 });
    await page.locator('#pairs-lab-panel').waitFor({ state: 'attached', timeout: 60_000 });
  });
}

/** One sidebar message as the panel logged it (extension/src/views/messageLog.ts). */
export interface LoggedMessage {
  seq: number;
  level: string;
  text: string;
}

/** Every sidebar message shown since the page opened (the last 50), oldest first. */
export async function loggedMessages(page: Page): Promise<LoggedMessage[]> {
  return panel(page).locator('[data-message-log] li').evaluateAll((items) => items.map((li) => ({
    seq: Number((li as HTMLElement).dataset.seq),
    level: (li as HTMLElement).dataset.level ?? '',
    text: li.querySelector('.pl-MessageLog-text')?.textContent ?? '',
  })).reverse());
}

/** The number of the newest sidebar message (0 before the first): pass it to `expectMessage` as `since`. */
export async function lastMessageSeq(page: Page): Promise<number> {
  return Number((await panel(page).locator('[data-message-log]').getAttribute('data-last-seq')) ?? 0);
}

/**
 * Waits until a sidebar message shown after message number `since` matches `text` (and `level`, if given). The log
 * keeps a message that a later one replaced, so this holds however fast the messages follow each other.
 */
export async function expectMessage(page: Page, since: number, text: string | RegExp, opts: { level?: string; timeout?: number } = {}): Promise<LoggedMessage> {
  const matches = (m: LoggedMessage) => m.seq > since && (typeof text === 'string' ? m.text.includes(text) : text.test(m.text)) && (!opts.level || m.level === opts.level);
  let found: LoggedMessage | undefined;
  await expect.poll(async () => {
    const log = await loggedMessages(page);
    found = log.find(matches);
    return found ? 'found' : `not yet; shown since #${since}: ${log.filter((m) => m.seq > since).map((m) => `[${m.level}] ${m.text}`).join(' | ') || 'nothing'}`;
  }, { timeout: opts.timeout ?? 30_000, message: `a sidebar message matching ${String(text)}${opts.level ? ` (${opts.level})` : ''}` }).toBe('found');
  return found!;
}
