// A basket in the panel: on the simulated exchange a third leg turns the pair into a basket (weights card, z with its
// alert lines, normalised closes, the basket backtest with its metrics); pair-only tabs say so; live refresh keeps
// reading the basket; removing the leg brings the pair view back. Screenshots in the light theme.
import path from 'node:path';
import { expect, galata, test } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';
import { PLUGIN, SCREENSHOTS, TEST_SETTINGS, chart, chartState, control, openTab, panel, waitForPanelApp, waitForRefreshes } from './helpers';

test.use({ waitForApplication: waitForPanelApp, mockSettings: { ...galata.DEFAULT_SETTINGS, [PLUGIN]: TEST_SETTINGS } });

async function points(page: Page, name: string): Promise<number> {
  return Number((await chart(page, name).getAttribute('data-points')) ?? 0);
}

test('a basket of three legs: weights, z, prices, backtest, live refresh, and back to the pair', async ({ page }) => {
  const tabs = panel(page).locator('.pl-Tabs');
  await test.step('the pair view comes up as before', async () => {
    await expect(panel(page)).toHaveAttribute('data-kernel-state', 'ready', { timeout: 90_000 });
    await waitForRefreshes(page, 2);
    await openTab(page, 'Spread & Z-Score');
    await expect(panel(page).locator('[data-field="basket-weights"]')).toBeHidden();
  });

  await test.step('"Add leg" makes a basket of BTC, ETH and SOL; its z chart fills once the legs share enough bars', async () => {
    await panel(page).locator('[data-action="add-leg"]').click();
    await expect(control(page, 'leg-3')).toHaveValue('SOLUSDT');
    await expect(control(page, 'basket-weights')).toBeVisible();
    await expect(tabs).toHaveAttribute('data-view', 'basket');
    await expect(panel(page).locator('.pl-Header')).toContainText('BTCUSDT / ETHUSDT / SOLUSDT');
    // the leg's select and its remove button stay inside the 220 px sidebar, the symbol readable in full
    const fit = await panel(page).locator('.pl-LegRow').evaluate((row) => {
      const sidebar = row.closest('.pl-Sidebar') as HTMLElement;
      const select = row.querySelector('select') as HTMLSelectElement;
      return { inside: row.getBoundingClientRect().right <= sidebar.getBoundingClientRect().left + sidebar.clientWidth + 0.5, selectWidth: select.clientWidth };
    });
    expect(fit.inside).toBe(true);
    expect(fit.selectWidth).toBeGreaterThan(110);
    await expect.poll(() => points(page, 'basket-zscore'), { timeout: 150_000 }).toBeGreaterThan(0);
    const z = await chartState(page, 'basket-zscore');
    expect(z.title).toContain('BTCUSDT / ETHUSDT / SOLUSDT basket z-score');
    expect(z.shapes).toEqual([2, -2, 0]);
    expect(await points(page, 'basket-spread')).toBeGreaterThan(0);
  });

  await test.step('the weights card lists every leg, Y at weight 1, and follows the method', async () => {
    const weights = panel(page).locator('[data-card="basket-weights"]');
    await expect(weights).toHaveAttribute('data-method', 'johansen');
    await expect(weights.locator('tr[data-leg]')).toHaveCount(3);
    await expect(weights.locator('tr[data-leg="BTCUSDT"] td').nth(1)).toHaveText('1.0000');
    await expect(weights.locator('tr[data-leg="SOLUSDT"]')).toHaveCount(1);
    for (const name of ['half-life', 'adf-p', 'coint', 'stability', 'z']) await expect(panel(page).locator(`[data-card="${name}"]`)).toBeVisible();
    await expect(panel(page).locator('[data-card="coint"]')).toContainText('Johansen trace');
    await panel(page).screenshot({ path: path.join(SCREENSHOTS, 'basket-spread.png') });
    await control(page, 'basket-weights').selectOption('eg');
    await expect(weights).toHaveAttribute('data-method', 'eg', { timeout: 30_000 });
    await expect(panel(page).locator('[data-card="coint"]')).toContainText('Engle-Granger');
  });

  await test.step('live refresh keeps reading the basket: more bars arrive', async () => {
    const bars = Number(await panel(page).getAttribute('data-bars'));
    await expect.poll(async () => Number(await panel(page).getAttribute('data-bars')), { timeout: 30_000 }).toBeGreaterThan(bars);
  });

  await test.step('Prices shows the three closes normalised; Correlation says it is for pairs', async () => {
    await openTab(page, 'Prices & Volume');
    await expect.poll(() => points(page, 'basket-prices'), { timeout: 30_000 }).toBeGreaterThan(0);
    const prices = await chartState(page, 'basket-prices');
    expect(prices.types).toHaveLength(3);
    expect(prices.title).toContain('normalised');
    await openTab(page, 'Correlation');
    await expect(panel(page).locator('.pl-Tab:not(.lm-mod-hidden) [data-notice="pair-only"]')).toContainText('for two-leg pairs; this view is a basket of 3 legs');
  });

  await test.step('the basket backtest runs and shows its metrics, costs per leg and equity', async () => {
    await openTab(page, 'Backtest & Export');
    await control(page, 'entry').fill('1');
    await control(page, 'exit').fill('0.2');
    await panel(page).locator('[data-action="run-basket-backtest"]').click();
    const metrics = panel(page).locator('[data-section="basket-metrics"]');
    await expect(metrics).toHaveAttribute('data-trades', /^\d+$/, { timeout: 60_000 });
    await expect(metrics.locator('td', { hasText: 'Sharpe' })).toHaveCount(1);
    await expect(panel(page).locator('.pl-Tab:not(.lm-mod-hidden) td', { hasText: 'SOLUSDT' })).toHaveCount(1);
    await expect.poll(() => points(page, 'basket-equity'), { timeout: 30_000 }).toBeGreaterThan(0);
    await expect(panel(page).locator('.pl-Tab:not(.lm-mod-hidden) [data-notice="pair-only"]')).toContainText('basket of 3 legs');
    await panel(page).screenshot({ path: path.join(SCREENSHOTS, 'basket-backtest.png') });
  });

  await test.step('removing the leg brings the pair view back', async () => {
    await openTab(page, 'Spread & Z-Score');
    await panel(page).locator('[data-action="remove-leg-3"]').click();
    await expect(tabs).toHaveAttribute('data-view', 'pair');
    await expect(control(page, 'leg-3')).toHaveCount(0);
    await expect(panel(page).locator('[data-field="basket-weights"]')).toBeHidden();
    await expect.poll(() => points(page, 'zscore'), { timeout: 60_000 }).toBeGreaterThan(0);
    await expect(panel(page).locator('[data-card="hedge-ratio"]')).toBeVisible();
    await openTab(page, 'Correlation');
    await expect(panel(page).locator('[data-notice="pair-only"]')).toHaveCount(0);
  });
});
