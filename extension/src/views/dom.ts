import type { IUserMessage } from '../tokens';
import { clock } from '../clock';
import type { Num } from '../protocol';

type Attrs = Record<string, string | number | boolean | undefined>;

/** Creates an element with attributes (`class`, `data-*`, properties) and children. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (name === 'class') node.className = String(value);
    else if (name.startsWith('data-') || name.startsWith('aria-') || name === 'for' || name === 'title' || name === 'role') node.setAttribute(name, String(value));
    else (node as unknown as Record<string, unknown>)[name] = value;
  }
  node.append(...children);
  return node;
}

/** A labelled control with its help text; `name` becomes `data-control` for tests and styling. */
export function field(name: string, label: string, help: string, input: HTMLElement): HTMLDivElement {
  const id = `pl-control-${name}`;
  // A wrapper (e.g. a range with its value) labels the form control inside it.
  const control = input.matches('input, select, textarea') ? input : input.querySelector<HTMLElement>('input, select, textarea') ?? input;
  control.id = id;
  control.dataset.control = name;
  return el('div', { class: 'pl-Field', 'data-field': name },
    el('label', { for: id, class: 'pl-Field-label' }, label),
    input,
    el('div', { class: 'pl-Field-help' }, help));
}

export function select(options: Array<[value: string, label: string]>, value: string): HTMLSelectElement {
  const node = el('select', { class: 'jp-mod-styled' });
  setOptions(node, options, value);
  return node;
}

export function setOptions(node: HTMLSelectElement, options: Array<[value: string, label: string]>, value: string): void {
  node.replaceChildren(...options.map(([v, l]) => el('option', { value: v }, l)));
  node.value = value;
}

export function numberInput(value: number, min: number, max: number, step: number | 'any'): HTMLInputElement {
  return el('input', { type: 'number', class: 'jp-mod-styled', min, max, step, value: String(value) });
}

export function checkbox(checked: boolean): HTMLInputElement {
  return el('input', { type: 'checkbox', checked });
}

export function button(label: string, action: string, title?: string): HTMLButtonElement {
  return el('button', { class: 'jp-Button jp-mod-styled pl-Button', 'data-action': action, title, type: 'button' }, label);
}

/** Shows `message` (or nothing) in `node`. */
export function renderMessage(node: HTMLElement, message: IUserMessage | null): void {
  node.replaceChildren();
  node.className = `pl-Message${message ? ` pl-mod-${message.level}` : ''}`;
  node.hidden = !message;
  if (!message) return;
  node.append(el('div', { class: 'pl-Message-text' }, message.text));
  if (message.lines?.length) node.append(el('ul', { class: 'pl-Message-lines' }, ...message.lines.map((l) => el('li', {}, l))));
}

export interface IColumn<T> {
  title: string;
  value: (row: T) => string;
  numeric?: boolean;
}

/** A plain table; `onRowClick` makes rows clickable. */
export function table<T>(columns: IColumn<T>[], rows: T[], onRowClick?: (row: T) => void): HTMLTableElement {
  const head = el('thead', {}, el('tr', {}, ...columns.map((c) => el('th', { class: c.numeric ? 'pl-num' : '' }, c.title))));
  const body = el('tbody');
  for (const row of rows) {
    const tr = el('tr', {}, ...columns.map((c) => el('td', { class: c.numeric ? 'pl-num' : '' }, c.value(row))));
    if (onRowClick) {
      tr.classList.add('pl-mod-clickable');
      tr.tabIndex = 0;
      tr.addEventListener('click', () => onRowClick(row));
      tr.addEventListener('keydown', (e) => { if (e.key === 'Enter') onRowClick(row); });
    }
    body.append(tr);
  }
  return el('table', { class: 'pl-Table' }, head, body);
}

/**
 * Shows `rows` as a table in `holder`, updating the table already there when it has the same columns. A row keeps its
 * element while its key (`rowKey`) stays shown: a live table moved on by one bar then gains one row and loses one, and
 * its other cells keep their text, instead of every cell's text changing, which the browser would shape and lay out
 * again on each refresh.
 */
export function fillTable<T>(holder: HTMLElement, columns: IColumn<T>[], rows: T[], rowKey: (row: T) => string): void {
  const columnsKey = columns.map((c) => c.title).join('\u0001');
  const shown = holder.firstElementChild;
  const reusable = shown instanceof HTMLTableElement && shown.dataset.columns === columnsKey && holder.childElementCount === 1;
  const current = reusable ? shown : table(columns, []);
  if (!reusable) {
    current.dataset.columns = columnsKey;
    holder.replaceChildren(current);
  }
  const body = current.tBodies[0];
  const kept = new Map<string, HTMLTableRowElement>();
  for (const tr of Array.from(body.rows)) kept.set(tr.dataset.key ?? '', tr);
  rows.forEach((row, i) => {
    const key = rowKey(row);
    const tr = kept.get(key) ?? el('tr', { 'data-key': key }, ...columns.map((c) => el('td', { class: c.numeric ? 'pl-num' : '' })));
    kept.delete(key);
    if (body.rows[i] !== tr) body.insertBefore(tr, body.rows[i] ?? null);
    columns.forEach((c, j) => {
      const text = c.value(row);
      const cell = tr.cells[j];
      if (cell.textContent !== text) cell.textContent = text;
    });
  });
  for (const tr of kept.values()) tr.remove();
}

/** A number for display: `—` where undefined. */
export function fmt(value: Num | undefined, digits = 4): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e6 || abs < 1e-4)) return value.toExponential(2);
  return value.toFixed(abs >= 1000 ? 2 : digits);
}

export function pct(value: Num | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  // an annualised return over a short span can reach 1e54 %: an exponent, not 55 digits
  return Math.abs(value) >= 1e4 ? `${(value * 100).toExponential(2)}%` : `${(value * 100).toFixed(digits)}%`;
}

/** A time on the display clock (UTC unless the user picked local time), `YYYY-MM-DD HH:MM:SS`. */
export function clockTime(ms: Num | undefined): string {
  return clock.dateTime(ms);
}

/** The heading of a time column, e.g. `time (UTC)` or `entry (UTC+08:00)`. */
export function timeTitle(what = 'time'): string {
  return `${what} (${clock.label})`;
}

export function duration(ms: Num | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 7_200_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/** A metric card: label, value and an optional state class (`ok`, `warn`, `alert`). */
/** A metric card; `note` (e.g. what an undefined value waits for) goes under the value. */
export function card(name: string, label: string, value: string, state?: 'ok' | 'warn' | 'alert', note?: string): HTMLDivElement {
  return el('div', { class: `pl-Card${state ? ` pl-mod-${state}` : ''}`, 'data-card': name },
    el('div', { class: 'pl-Card-label' }, label),
    el('div', { class: 'pl-Card-value' }, value),
    ...(note ? [el('div', { class: 'pl-Card-note' }, note)] : []));
}
