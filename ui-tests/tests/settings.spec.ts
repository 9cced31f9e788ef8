// Settings changed while the panel is open, saved through JupyterLab's setting registry in the page (what the
// Settings Editor does): session settings and the chart settings reach the open panel; the defaults of the
// controls are for new panels and leave the open panel's controls alone. One test with steps: one page, one kernel.
import path from 'node:path';
import { expect, galata, test } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';
import {
  PLUGIN, TEST_SETTINGS, chartState, control, expectMessage, kernelLoads, lastMessageSeq, loggedMessages, openTab, panel,
  refreshes, setValue, stopRefreshes, waitForPanelApp, waitForRefreshes,
} from './helpers';

test.use({ waitForApplication: waitForPanelApp, mockSettings: { ...galata.DEFAULT_SETTINGS, [PLUGIN]: TEST_SETTINGS } });

/** Saves `values` over the user's Pairs Lab settings in one save, as the Settings Editor does. */
async function saveSettings(page: Page, values: Record<string, unknown>): Promise<void> {
  await page.evaluate(async ({ plugin, values }) => {
    interface ISettings { user: Record<string, unknown>; save(raw: string): Promise<void> }
    const galataInPage = (window as unknown as { galata: { getPlugin(id: string): Promise<{ load(id: string): Promise<ISettings> } | undefined> } }).galata;
    const registry = await galataInPage.getPlugin('@jupyterlab/apputils-extension:settings');
    if (!registry) throw new Error('JupyterLab has no setting registry');
    const settings = await registry.load(plugin);
    await settings.save(JSON.stringify({ ...settings.user, ...values }));
  }, { plugin: PLUGIN, values });
}

/** Saves `values` and returns the number of the last sidebar message before the save. */
async function saveAndMark(page: Page, values: Record<string, unknown>): Promise<number> {
  const mark = await lastMessageSeq(page);
  await saveSettings(page, values);
  return mark;
}

async function bars(page: Page): Promise<number> {
  return Number((await panel(page).getAttribute('data-bars')) ?? 0);
}

/** The value of a card on the Feed tab (which this opens). */
async function feedCard(page: Page, name: string): Promise<string> {
  await openTab(page, 'Feed');
  return (await panel(page).locator(`[data-card="${name}"] .pl-Card-value`).textContent()) ?? '';
}

test('settings changed while the panel is open: what applies at once and what stays a default for new panels', async ({ page }) => {
  await expect(panel(page)).toHaveAttribute('data-kernel-state', 'ready', { timeout: 90_000 });
  await waitForRefreshes(page, 2);
  await openTab(page, 'Prices & Volume');

  let barsAtStart = 0;
  await test.step('candles drawn redraws at once; control defaults saved with it leave the open controls alone', async () => {
    await expect.poll(() => bars(page), { timeout: 90_000 }).toBeGreaterThanOrEqual(30);
    barsAtStart = await bars(page);
    // the Prices tab was opened just now: its charts draw with the next refresh
    await expect.poll(async () => (await chartState(page, 'price-y')).points[0] ?? 0, { timeout: 30_000 }).toBeGreaterThan(20);
    // No refresh may redraw the charts meanwhile: the change alone must.
    const refreshed = await stopRefreshes(page);
    await saveSettings(page, { candles: 20, window: 100, timeframe: '1m', ySymbol: 'SOLUSDT', hedgeMethod: 'ols', autoRefresh: true, refreshIntervalMs: 5000 });
    await expect.poll(async () => (await chartState(page, 'price-y')).points, { timeout: 30_000 }).toEqual([20, 20]);
    expect(await refreshes(page)).toBe(refreshed);
    await expect(control(page, 'window')).toHaveValue('20');
    await expect(control(page, 'timeframe')).toHaveValue('1s');
    await expect(control(page, 'y')).toHaveValue('BTCUSDT');
    await expect(control(page, 'hedge')).toHaveValue('huber');
    await expect(control(page, 'auto-refresh')).not.toBeChecked();
    await expect(control(page, 'interval')).toHaveValue('1');
    expect((await chartState(page, 'price-y')).title).toContain('BTCUSDT · 1s');
    await control(page, 'auto-refresh').check();
    await waitForRefreshes(page, refreshed + 2);
  });

  await test.step('bars per view reloads the open panel with the new count, down and back up', async () => {
    await saveSettings(page, { maxBars: 10 });
    await expect.poll(() => bars(page), { timeout: 30_000 }).toBe(10);
    await waitForRefreshes(page, (await refreshes(page)) + 2);
    expect(await bars(page)).toBe(10);
    // Only a full reload brings the older bars back at once: incremental refreshes add one new bar a second.
    await saveSettings(page, { maxBars: 86_400 });
    await expect.poll(() => bars(page), { timeout: 15_000 }).toBeGreaterThanOrEqual(barsAtStart);
  });

  await test.step('the universe setting reaches the open Y and X choices; a list the panel cannot use is refused', async () => {
    let mark = await saveAndMark(page, { universe: ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'LINKUSDT'] });
    await expect(control(page, 'y').locator('option[value="LINKUSDT"]')).toHaveCount(1, { timeout: 30_000 });
    await expect(control(page, 'x').locator('option[value="LINKUSDT"]')).toHaveCount(1);
    await expectMessage(page, mark, 'Universe setting applied: BTCUSDT, ETHUSDT, SOLUSDT, LINKUSDT.', { level: 'info' });
    await expect(control(page, 'universe')).toHaveValue('BTCUSDT, ETHUSDT, SOLUSDT, LINKUSDT');

    mark = await saveAndMark(page, { universe: ['BTCUSDT'] });
    const refused = await expectMessage(page, mark, 'The universe needs at least two symbols.', { level: 'error' });
    expect(refused.text).toContain('keeps its universe (BTCUSDT, ETHUSDT, SOLUSDT, LINKUSDT)');
    await expect(control(page, 'y').locator('option')).toHaveText(['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'LINKUSDT']);
    await expect(control(page, 'y')).toHaveValue('BTCUSDT');

    // A universe without the open pair moves the pair into it and says so.
    mark = await saveAndMark(page, { universe: ['SOLUSDT', 'LINKUSDT'] });
    await expectMessage(page, mark, 'BTCUSDT / ETHUSDT is not in it: showing SOLUSDT / LINKUSDT.');
    await expect(panel(page).locator('.pl-Header-title')).toContainText('SOLUSDT / LINKUSDT');
    await expect(control(page, 'y').locator('option')).toHaveText(['SOLUSDT', 'LINKUSDT']);
    // Empty: the symbols in the store (all four were recorded above).
    mark = await saveAndMark(page, { universe: [] });
    await expectMessage(page, mark, /^Universe setting applied: [A-Z0-9_, -]*BTCUSDT[A-Z0-9_, -]*\.$/);
    for (const symbol of ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'LINKUSDT']) await expect(control(page, 'x').locator(`option[value="${symbol}"]`)).toHaveCount(1);
    await expect(panel(page).locator('.pl-Header-title')).toContainText('SOLUSDT / LINKUSDT');
    await saveSettings(page, { universe: TEST_SETTINGS.universe });
    await expect(control(page, 'y').locator('option')).toHaveText(TEST_SETTINGS.universe, { timeout: 30_000 });
    await control(page, 'y').selectOption('BTCUSDT');
    await control(page, 'x').selectOption('ETHUSDT');
  });

  await test.step('the feed source setting stops and restarts the open panel\'s recorder', async () => {
    let mark = await saveAndMark(page, { feedSource: 'none' });
    await expectMessage(page, mark, 'Feed source setting: Recording stopped');
    await expect.poll(() => feedCard(page, 'feed-state'), { timeout: 30_000 }).toMatch(/^idle/);
    await expect(control(page, 'feed')).toHaveValue('none');
    mark = await saveAndMark(page, { feedSource: 'simulated' });
    await expectMessage(page, mark, 'Feed source setting: Recording from the simulated exchange');
    await expect.poll(() => feedCard(page, 'feed-state'), { timeout: 30_000 }).toBe('recording (SIMULATED)');
    await expect(control(page, 'feed')).toHaveValue('simulated');
    // the sidebar's own "None" stops recording too
    mark = await lastMessageSeq(page);
    await control(page, 'feed').selectOption('none');
    await expectMessage(page, mark, 'Recording stopped');
    await expect.poll(() => feedCard(page, 'feed-state'), { timeout: 30_000 }).toMatch(/^idle/);
    await control(page, 'feed').selectOption('simulated');
    await expect.poll(() => feedCard(page, 'feed-state'), { timeout: 30_000 }).toBe('recording (SIMULATED)');
  });

  await test.step('the data directory setting reopens the session on another store and back, keeping the controls', async () => {
    // The store folders of this run (playwright.config.js gives the server PAIRS_LAB_DATA=<work>/store).
    const work = process.env.PAIRS_LAB_UI_WORK ?? path.join(__dirname, '..', '.work', 'default');
    const otherStore = path.join(work, 'store-from-settings');
    const defaultStore = path.join(work, 'store');
    await setValue(control(page, 'window'), '30');
    // the Feed tab is on screen after the step above; a hidden chart keeps the figure it last drew
    await openTab(page, 'Prices & Volume');
    await expect.poll(async () => (await chartState(page, 'price-y')).title, { timeout: 30_000 }).toContain('BTCUSDT');
    const barsBefore = await bars(page);

    const beforeSwitch = await saveAndMark(page, { dataDir: otherStore });
    // One notice says which store opened, then the same notice with the recorder started on it.
    const opened = await expectMessage(page, beforeSwitch, 'Recording from the simulated exchange', { timeout: 60_000 });
    expect(opened.text).toContain(`the panel reads the store in ${otherStore}`);
    await expect.poll(() => feedCard(page, 'feed-store')).toBe(otherStore);
    await openTab(page, 'Prices & Volume');
    // A new, empty store: its bars start again from the first recorded ones.
    await expect.poll(async () => {
      const n = await bars(page);
      return n > 0 && n < barsBefore;
    }, { timeout: 60_000 }).toBe(true);
    await expect(control(page, 'window')).toHaveValue('30');
    await expect(control(page, 'y')).toHaveValue('BTCUSDT');
    await expect(control(page, 'x')).toHaveValue('ETHUSDT');

    // Emptied: a fresh kernel opens the default store.
    const loads = await kernelLoads(page);
    const beforeClear = await saveAndMark(page, { dataDir: '' });
    await expectMessage(page, beforeClear, 'restarting the kernel');
    await expect.poll(() => kernelLoads(page), { timeout: 90_000 }).toBeGreaterThan(loads);
    await expectMessage(page, beforeClear, `the panel reads the default store, ${defaultStore}`, { timeout: 60_000 });
    await expect.poll(() => feedCard(page, 'feed-store')).toBe(defaultStore);
    await openTab(page, 'Prices & Volume');
    await expect.poll(() => bars(page), { timeout: 60_000 }).toBeGreaterThan(0);
    await expect(control(page, 'window')).toHaveValue('30');
    // Switching stores, in the kernel or through a restart, loses no request on the way: nothing failed.
    expect((await loggedMessages(page)).filter((m) => m.seq > beforeSwitch && m.level !== 'info')).toEqual([]);
  });
  await test.step('Binance out of reach (no internet here): the panel says so and offers the simulated exchange', async () => {
    const work = process.env.PAIRS_LAB_UI_WORK ?? path.join(__dirname, '..', '.work', 'default');
    // Binance trades never go into a store that holds simulated ones: the kernel refuses, and the panel says why.
    let mark = await lastMessageSeq(page);
    await control(page, 'feed').selectOption('binance');
    const notStarted = await expectMessage(page, mark, 'Recording from Binance did not start', { timeout: 60_000 });
    expect(notStarted.text).toContain('holds simulated trades');
    await expect(control(page, 'feed')).toHaveValue('simulated');
    // On a new, empty store (not recording) Binance is tried, and found out of reach.
    const binanceStore = path.join(work, 'store-for-binance');
    mark = await saveAndMark(page, { feedSource: 'none', dataDir: binanceStore });
    await expectMessage(page, mark, `the panel reads the store in ${binanceStore}`, { timeout: 60_000 });
    mark = await lastMessageSeq(page);
    await control(page, 'feed').selectOption('binance');
    await expectMessage(page, mark, 'Binance cannot be reached', { timeout: 60_000 });
    await openTab(page, 'Feed');
    const advice = panel(page).locator('[data-action="use-simulated"]');
    await expect(advice).toBeVisible({ timeout: 30_000 });
    await advice.click();
    await expect.poll(() => feedCard(page, 'feed-state'), { timeout: 30_000 }).toBe('recording (SIMULATED)');
    await expect(control(page, 'feed')).toHaveValue('simulated');
    await expect(advice).toHaveCount(0);
  });
});
