// The sidebar fits common laptop and desktop windows: at 1280×800 and 1600×1000 no control, label or help text of the
// sidebar runs past its right edge or under the charts, and the sidebar never scrolls sideways. Every tab shows its whole
// title (a tab bar wider than the panel scrolls instead). On local time (the longest clock label) the header's last-bar
// status is not cut; the Feed tab's wide table scrolls within the tab; the alert log takes the Alerts tab's height and
// scrolls; the watchlist labels its clock and says what a young row waits for. Screenshots light and dark.
import path from 'node:path';
import { expect, galata, test } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';
import { PLUGIN, SCREENSHOTS, TEST_SETTINGS, openTab, panel, waitForPanelApp, waitForRefreshes } from './helpers';

test.use({
  timezoneId: 'Asia/Singapore',
  waitForApplication: waitForPanelApp,
  mockSettings: { ...galata.DEFAULT_SETTINGS, [PLUGIN]: { ...TEST_SETTINGS, timeZone: 'local' } },
});

/** Parts of the header's status that do not show all of their text. */
async function cutHeaderText(page: Page): Promise<string[]> {
  return panel(page).locator('.pl-Header-status > span').evaluateAll((spans) =>
    spans.filter((s) => s.scrollWidth > s.clientWidth + 0.5 || s.clientWidth === 0).map((s) => `${s.textContent ?? ''} (${s.clientWidth} of ${s.scrollWidth} px)`));
}

/** Tables of the tab on screen that reach past the tab's right edge without a scrolling block around them. */
async function clippedTables(page: Page): Promise<string[]> {
  return panel(page).locator('.pl-Tab:not(.lm-mod-hidden)').evaluate((tab) => {
    const right = tab.getBoundingClientRect().left + tab.clientWidth;
    const out: string[] = [];
    for (const block of Array.from(tab.querySelectorAll<HTMLElement>('.pl-TableBlock'))) {
      const table = block.querySelector('table');
      if (!table) continue;
      const b = block.getBoundingClientRect();
      const scrolls = block.scrollWidth > block.clientWidth && ['auto', 'scroll'].includes(getComputedStyle(block).overflowX);
      if (b.right > right + 0.5 || (table.getBoundingClientRect().width > block.clientWidth + 0.5 && !scrolls)) {
        out.push(`${block.querySelector('h4')?.textContent ?? 'table'}: block ${b.right.toFixed(0)} of ${right.toFixed(0)} px, table ${table.getBoundingClientRect().width.toFixed(0)} px`);
      }
    }
    return out;
  });
}

interface Overflow {
  sidebar: { left: number; right: number; scrollWidth: number; clientWidth: number };
  tabsLeft: number;
  /** Visible sidebar elements that reach outside it: what they are and by how many pixels. */
  outside: string[];
}

/** Measures every visible element of the sidebar against the sidebar's box (and the tab area's left edge). */
async function measure(page: Page): Promise<Overflow> {
  return panel(page).evaluate((root) => {
    const sidebar = root.querySelector<HTMLElement>('.pl-Sidebar');
    const tabs = root.querySelector<HTMLElement>('.pl-Tabs');
    if (!sidebar || !tabs) throw new Error('no sidebar or tab area in the panel');
    const box = sidebar.getBoundingClientRect();
    // the sidebar's own vertical scroll bar is inside its box, not content
    const right = box.left + sidebar.clientWidth;
    const outside: string[] = [];
    for (const node of Array.from(sidebar.querySelectorAll<HTMLElement>('*'))) {
      const r = node.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || getComputedStyle(node).visibility === 'hidden') continue;
      const over = Math.max(r.right - right, box.left - r.left);
      if (over > 0.5) {
        const name = node.dataset.control ?? node.dataset.field ?? node.className ?? '';
        outside.push(`${node.tagName.toLowerCase()}${name ? `[${name}]` : ''} "${(node.textContent ?? '').trim().slice(0, 40)}" by ${over.toFixed(1)} px`);
      }
    }
    return {
      sidebar: { left: box.left, right, scrollWidth: sidebar.scrollWidth, clientWidth: sidebar.clientWidth },
      tabsLeft: tabs.getBoundingClientRect().left,
      outside,
    };
  });
}

for (const [width, height] of [[1280, 800], [1600, 1000]] as const) {
  test(`the sidebar, header and tables fit at ${width}×${height}`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    await expect(panel(page)).toHaveAttribute('data-kernel-state', 'ready', { timeout: 90_000 });
    await waitForRefreshes(page, 1);
    // the recent-messages log open too: its entries must wrap as well
    await panel(page).locator('[data-message-log] summary').click();
    await expect.poll(async () => (await measure(page)).outside, { timeout: 30_000 }).toEqual([]);
    const m = await measure(page);
    expect(m.sidebar.scrollWidth).toBeLessThanOrEqual(m.sidebar.clientWidth);
    expect(m.tabsLeft).toBeGreaterThanOrEqual(m.sidebar.right - 0.5);
    // wide enough to read: the controls keep at least 200 px
    expect(m.sidebar.clientWidth).toBeGreaterThanOrEqual(200);
    test.info().annotations.push({ type: 'sidebar', description: `${m.sidebar.clientWidth} px wide of ${width}` });
    const cutTitles = await panel(page).locator('.pl-Tabs > .lm-TabBar .lm-TabBar-tabLabel').evaluateAll((labels) =>
      labels.filter((l) => l.scrollWidth > l.clientWidth + 0.5).map((l) => `${l.textContent ?? ''} (${l.clientWidth} of ${l.scrollWidth} px)`));
    expect(cutTitles).toEqual([]);
    await panel(page).locator('.pl-Sidebar').evaluate((s) => { s.scrollTop = s.scrollHeight; });
    await page.screenshot({ path: path.join(SCREENSHOTS, `sidebar-${width}x${height}.png`) });

    // the header: "last bar 22:01:11 UTC+08:00" and the bar count, neither cut
    await expect(panel(page).locator('.pl-Header-status')).toContainText(/last bar \d\d:\d\d:\d\d UTC\+08:00 \d+ bars/);
    expect(await cutHeaderText(page)).toEqual([]);
    // and its buttons whole, inside the header (a narrow header wraps onto a second line)
    const buttonsOut = await panel(page).locator('.pl-Header .pl-Button').evaluateAll((buttons) => buttons.filter((b) => {
      const header = (b.closest('.pl-Header') as HTMLElement).getBoundingClientRect();
      const r = b.getBoundingClientRect();
      return r.right > header.right + 0.5 || r.bottom > header.bottom + 0.5 || b.scrollWidth > b.clientWidth;
    }).map((b) => b.textContent ?? ''));
    expect(buttonsOut).toEqual([]);

    // the watchlist: the last-alert column names its clock; young rows say what they wait for, not "waiting for bars"
    const watch = panel(page).locator('.pl-Tab[data-tab="watchlist"]');
    await expect(watch.locator('th[data-sort="lastAlert"]')).toHaveText('last alert (UTC+08:00)', { timeout: 60_000 });
    const statuses = await watch.locator('td[data-cell="status"]').allTextContents();
    expect(statuses.length).toBeGreaterThan(0);
    for (const text of statuses) expect(text).toMatch(/^(live|stale|z: \d+ of \d+ bars, about \d+ (s|min|h)|z: \d+ bars so far)$/);
    await expect(watch.locator('td[data-cell="stability-waiting"]').first()).toHaveText(/^first test (at \d+ bars: \d+ so far, about \d+ (s|min|h)|within \d+ bars)$/);

    // the Feed tab's connections table scrolls sideways within the tab (or fits)
    await openTab(page, 'Feed');
    await expect(panel(page).locator('.pl-Tab[data-tab="feed"] table').first()).toBeVisible({ timeout: 30_000 });
    expect(await clippedTables(page)).toEqual([]);
    await expect(panel(page).locator('.pl-Tab[data-tab="feed"] .pl-TableBlock').first()).toHaveCSS('overflow-x', 'auto');

    // the alert log reaches the bottom of the Alerts tab and shows that it scrolls
    await openTab(page, 'Alerts');
    const log = await panel(page).locator('.pl-Tab[data-tab="alerts"]').evaluate((tab) => {
      const block = tab.querySelector<HTMLElement>('.pl-TableBlock[data-count]') as HTMLElement;
      return { gap: tab.getBoundingClientRect().bottom - block.getBoundingClientRect().bottom, height: block.clientHeight, overflowY: getComputedStyle(block).overflowY };
    });
    expect(log.gap).toBeLessThanOrEqual(16);
    expect(log.height).toBeGreaterThan(320);
    expect(log.overflowY).toBe('scroll');

    for (const theme of ['light', 'dark'] as const) {
      if (theme === 'dark') await page.theme.setDarkTheme();
      for (const label of ['Watchlist', 'Feed', 'Alerts']) {
        await openTab(page, label);
        await page.waitForTimeout(300);
        await panel(page).screenshot({ path: path.join(SCREENSHOTS, `fit-${width}-${theme}-${label.toLowerCase()}.png`) });
      }
    }
    await page.theme.setLightTheme();
  });
}
