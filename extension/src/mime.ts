import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import type { Config, Data, Layout } from 'plotly.js';
import { Widget } from '@lumino/widgets';
import { loadPlotly, PLOT_CONFIG, themedLayout, themeColors } from './plotly';

export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

interface IPlotlyFigure {
  data?: Data[];
  layout?: Partial<Layout>;
  config?: Partial<Config>;
}

/**
 * Renders Plotly figures from notebooks (the kernel library's display helpers) with the same trace set as the panel.
 * Unlike the plotly.py renderer it redraws on every model, so `update_display_data` works too.
 */
export class PlotlyRenderer extends Widget implements IRenderMime.IRenderer {
  constructor(options: IRenderMime.IRendererOptions) {
    super();
    this._mimeType = options.mimeType;
    this.addClass('pl-PlotlyRenderer');
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const figure = model.data[this._mimeType] as IPlotlyFigure | undefined;
    if (!figure || !Array.isArray(figure.data)) {
      this.node.textContent = 'This Plotly figure has no data array, so there is nothing to draw.';
      return;
    }
    try {
      const plotly = await loadPlotly();
      const height = typeof figure.layout?.height === 'number' ? figure.layout.height : 360;
      this.node.style.height = `${height}px`;
      const layout = themedLayout(themeColors(), figure.layout ?? {});
      await plotly.react(this.node, figure.data, layout, { ...PLOT_CONFIG, ...(figure.config ?? {}) });
    } catch (err) {
      this.node.textContent = `This figure could not be drawn (${err instanceof Error ? err.message : String(err)}). A trace type outside candlestick, bar, scatter, scattergl and heatmap needs the full Plotly renderer.`;
    }
  }

  protected override onResize(msg: Widget.ResizeMessage): void {
    super.onResize(msg);
    if (this.node.childElementCount > 0) void loadPlotly().then((p) => p.Plots.resize(this.node));
  }

  private _mimeType: string;
}

const extension: IRenderMime.IExtension = {
  id: 'pairs-lab-extension:plotly',
  description: 'Renders application/vnd.plotly.v1+json figures with the Pairs Lab Plotly trace set.',
  rendererFactory: {
    safe: true,
    mimeTypes: [PLOTLY_MIME],
    createRenderer: (options) => new PlotlyRenderer(options),
  },
  rank: 2,
  dataType: 'json',
  fileTypes: [{ name: 'plotly', mimeTypes: [PLOTLY_MIME], extensions: ['.plotly', '.plotly.json'] }],
  documentWidgetFactoryOptions: { name: 'Plotly', primaryFileType: 'plotly', fileTypes: ['plotly'], defaultFor: ['plotly'] },
};

export default extension;
