// Tables for notebooks: HTML (escaped) with a fixed-width plain-text rendering of the same rows.
import { fmt, utc } from './figure';

/** A table cell. Numbers are formatted; `Date` and columns named in `timeColumns` print as UTC; other objects as JSON. */
export type Cell = unknown;
export type Row = Readonly<Record<string, Cell>>;

export interface TableOptions {
  title?: string;
  /** Column order (default: keys of the first row). */
  columns?: readonly string[];
  /** Columns holding epoch-ms times. Default: columns whose name ends in `time` or `Time`. */
  timeColumns?: readonly string[];
  /** Rows shown; the rest are counted. Default 50. */
  maxRows?: number;
  /** Significant digits of numbers. Default 6. */
  digits?: number;
}

/** A rendered table. */
export interface Table {
  html: string;
  text: string;
}

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

function cellText(value: Cell, isTime: boolean, digits: number): string {
  if (value === null || value === undefined) return '—';
  if (value instanceof Date) return utc(value.getTime());
  if (typeof value === 'number') return isTime ? utc(value) : fmt(value, digits);
  if (typeof value === 'object') {
    const json = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' ? Number(fmt(v, digits)) || v : v));
    return json.length > 120 ? `${json.slice(0, 119)}…` : json;
  }
  return String(value);
}

/** Renders rows as an HTML table and as text. */
export function renderTable(objects: readonly object[], opts: TableOptions = {}): Table {
  const rows = objects as readonly Row[];
  const columns = opts.columns ?? (rows.length ? Object.keys(rows[0]) : []);
  const timeColumns = new Set(opts.timeColumns ?? columns.filter((c) => /(^t|T)ime$/.test(c)));
  const maxRows = opts.maxRows ?? 50;
  const shown = rows.slice(0, maxRows);
  const cells = shown.map((row) => columns.map((c) => cellText(row[c], timeColumns.has(c), opts.digits ?? 6)));
  const more = rows.length > shown.length ? `… ${rows.length - shown.length} more rows (${rows.length} in all)` : '';
  const numeric = columns.map((c) => shown.some((r) => typeof r[c] === 'number') && !timeColumns.has(c));

  const widths = columns.map((c, j) => Math.max(c.length, ...cells.map((r) => r[j].length)));
  const pad = (s: string, j: number) => (numeric[j] ? s.padStart(widths[j]) : s.padEnd(widths[j]));
  const textLines = [
    ...(opts.title ? [opts.title] : []),
    columns.map((c, j) => pad(c, j)).join('  '),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...cells.map((r) => r.map((s, j) => pad(s, j)).join('  ').trimEnd()),
    ...(more ? [more] : []),
  ];

  const th = columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const body = cells.map((r) => `<tr>${r.map((s, j) => `<td${numeric[j] ? ' style="text-align:right"' : ''}>${escapeHtml(s)}</td>`).join('')}</tr>`).join('\n');
  const html = `<table class="pairs-lab-table">${opts.title ? `<caption>${escapeHtml(opts.title)}</caption>` : ''}`
    + `<thead><tr>${th}</tr></thead>\n<tbody>\n${body}\n</tbody></table>${more ? `<p>${escapeHtml(more)}</p>` : ''}`;
  return { html, text: textLines.join('\n') };
}

/** Two-column table of named values (metric cards, test results). */
export function renderRecord(record: object, opts: Omit<TableOptions, 'columns'> = {}): Table {
  const timeKeys = new Set(opts.timeColumns ?? Object.keys(record).filter((k) => /(^t|T)ime$/.test(k)));
  const rows = Object.entries(record as Record<string, unknown>).map(([name, value]) => ({
    name,
    value: typeof value === 'number' && timeKeys.has(name) ? utc(value) : value,
  }));
  return renderTable(rows, { ...opts, columns: ['name', 'value'], timeColumns: [] });
}
