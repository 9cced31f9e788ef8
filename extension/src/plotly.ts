import type { Config, Data, Layout } from 'plotly.js';

/** The part of the Plotly API the panel and the MIME renderer use. */
export interface IPlotly {
  react(root: HTMLElement, data: Data[], layout?: Partial<Layout>, config?: Partial<Config>): Promise<unknown>;
  purge(root: HTMLElement): void;
  Plots: { resize(root: HTMLElement): Promise<void> | void };
}

let loading: Promise<IPlotly> | null = null;

/**
 * Plotly core with only the traces Pairs Lab draws, fetched on first use: the chunk is about 1.5 MB,
 * a quarter of the full bundle, and no prebuilt bundle has both candlestick and scattergl.
 */
export function loadPlotly(): Promise<IPlotly> {
  if (!loading) {
    loading = Promise.all([
      import('plotly.js/lib/core'),
      import('plotly.js/lib/candlestick'),
      import('plotly.js/lib/bar'),
      import('plotly.js/lib/scatter'),
      import('plotly.js/lib/scattergl'),
      import('plotly.js/lib/heatmap'),
    ]).then(([core, ...traces]) => {
      const plotly = (core.default ?? core) as unknown as IPlotly & { register(modules: unknown[]): void };
      plotly.register(traces.map((t) => (t as { default?: unknown }).default ?? t));
      return plotly;
    });
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}

/** Colours of the current JupyterLab theme, read from its CSS variables. */
export interface IThemeColors {
  background: string;
  paper: string;
  text: string;
  mutedText: string;
  grid: string;
  up: string;
  down: string;
  series: string[];
  threshold: string;
  font: string;
}

let cachedColors: IThemeColors | null = null;

/**
 * The theme's colours, read once per animation frame: reading computed styles makes the browser recompute styles,
 * which after a chart's redraw costs milliseconds, and a refresh draws several charts in one frame.
 */
export function themeColors(): IThemeColors {
  if (!cachedColors) {
    cachedColors = readThemeColors();
    requestAnimationFrame(() => { cachedColors = null; });
  }
  return cachedColors;
}

function readThemeColors(): IThemeColors {
  const style = getComputedStyle(document.body);
  const v = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    background: v('--jp-layout-color0', '#ffffff'),
    paper: v('--jp-layout-color0', '#ffffff'),
    text: v('--jp-ui-font-color1', '#222222'),
    mutedText: v('--jp-ui-font-color2', '#666666'),
    grid: v('--jp-border-color2', '#e0e0e0'),
    up: v('--jp-success-color1', '#388e3c'),
    down: v('--jp-error-color1', '#d32f2f'),
    series: [v('--jp-brand-color1', '#1976d2'), v('--jp-warn-color1', '#f57c00'), v('--jp-accent-color1', '#00897b'), v('--jp-ui-font-color2', '#616161')],
    threshold: v('--jp-warn-color0', '#e65100'),
    font: v('--jp-ui-font-family', 'sans-serif'),
  };
}

/** A layout in the theme's colours; `extra` overrides. */
export function themedLayout(colors: IThemeColors, extra: Partial<Layout> = {}): Partial<Layout> {
  // 'allow': Plotly's default ('hide past div') measures every tick label once per label drawn, which forced
  // layouts that took about a sixth of a redraw; a label past the edge is clipped by the plot's own box instead.
  const axis = { gridcolor: colors.grid, zerolinecolor: colors.grid, linecolor: colors.grid, color: colors.mutedText, ticklabeloverflow: 'allow' as const };
  const layout: Partial<Layout> = {
    paper_bgcolor: colors.paper,
    plot_bgcolor: colors.background,
    font: { family: colors.font, color: colors.text, size: 11 },
    margin: { l: 56, r: 16, t: 28, b: 32 },
    legend: { orientation: 'h', x: 0, y: 1.12, font: { color: colors.text } },
    ...extra,
    xaxis: { ...axis, ...(extra.xaxis ?? {}) },
    yaxis: { ...axis, ...(extra.yaxis ?? {}) },
  };
  // every further axis of a figure with several panes (xaxis2, yaxis3, ...)
  const axes = layout as Record<string, unknown>;
  for (const [key, value] of Object.entries(extra)) {
    if (/^[xy]axis\d+$/.test(key)) axes[key] = { ...axis, ...(value as object) };
  }
  return layout;
}

export const PLOT_CONFIG: Partial<Config> = { responsive: true, displaylogo: false, scrollZoom: false };
