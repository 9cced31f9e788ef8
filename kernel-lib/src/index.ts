/**
 * Pairs Lab kernel library: the one entry point for notebooks and for the panel's kernel.
 * @packageDocumentation
 */
export const version = '0.1.0';

export * from './protocol';
export { RequestError } from './panel/schema';
export { parsePanelRequest } from './panel/requests';
export { type Figure, type PlotlyTrace, PLOTLY_MIME } from './display/figure';
export {
  type OhlcvColumns, type ChartOptions,
  priceChart, spreadChart, seriesChart, hedgeRatioChart, correlationChart, crossCorrelationChart, equityChart, heatmapChart,
} from './display/charts';
export { type Cell, type Row, type TableOptions, type Table, renderTable, renderRecord } from './display/table';
export { show, showFigure, showTable, showRecord, figureBundle } from './display/show';
export { type MimeBundle, type DisplaySink, displayBundle, setDisplaySink, inKernel } from './display/emit';
