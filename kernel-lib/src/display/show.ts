// Notebook-facing display functions: a figure as Plotly JSON + text, a table as HTML + text.
import { displayBundle } from './emit';
import { type Figure, PLOTLY_MIME } from './figure';
import { type TableOptions, renderRecord, renderTable } from './table';

/** The MIME bundle of a figure: Plotly JSON with the text summary alongside. */
export function figureBundle(figure: Figure): Record<string, unknown> {
  return {
    [PLOTLY_MIME]: { data: figure.data, layout: figure.layout },
    'text/plain': figure.summary,
  };
}

/** Displays a figure in the notebook (Plotly where a renderer exists, its text summary elsewhere). */
export function showFigure(figure: Figure): void {
  displayBundle(figureBundle(figure));
}

/** Displays rows (plain objects) as an HTML table with a plain-text fallback. */
export function showTable(rows: readonly object[], opts: TableOptions = {}): void {
  const table = renderTable(rows, opts);
  displayBundle({ 'text/html': table.html, 'text/plain': table.text });
}

/** Displays named values (e.g. metric cards or a test result) as a two-column table. */
export function showRecord(record: object, opts: Omit<TableOptions, 'columns'> = {}): void {
  const table = renderRecord(record, opts);
  displayBundle({ 'text/html': table.html, 'text/plain': table.text });
}

/** Displays a figure, a table (array of rows) or a record, picking the right function. */
export function show(value: Figure | readonly object[] | object, opts: TableOptions = {}): void {
  if (Array.isArray(value)) showTable(value as readonly object[], opts);
  else if (isFigure(value)) showFigure(value);
  else showRecord(value, opts);
}

function isFigure(value: unknown): value is Figure {
  return typeof value === 'object' && value !== null && Array.isArray((value as Figure).data) && typeof (value as Figure).summary === 'string';
}
