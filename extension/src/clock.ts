// The one clock every time the panel shows is read on: UTC by default, or the browser's local time when the user
// picks it (setting "timeZone"). Tables, the header, the message log and the chart axes all format through here, so
// they always agree and say which clock they use.
import { Signal, type ISignal } from '@lumino/signaling';

export type TimeZoneChoice = 'utc' | 'local';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `UTC+08:00`-style name of the browser's offset from UTC at `ms`. */
export function offsetLabel(ms: number): string {
  const minutes = -new Date(ms).getTimezoneOffset();
  if (minutes === 0) return 'UTC+00:00';
  const sign = minutes > 0 ? '+' : '−';
  const abs = Math.abs(minutes);
  return `UTC${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The chosen clock: formats epoch ms, labels itself, and maps times to what Plotly's date axes show. */
export class DisplayClock {
  get zone(): TimeZoneChoice {
    return this._zone;
  }

  /** Fires when the user picks the other clock: everything showing a time redraws. */
  get changed(): ISignal<this, TimeZoneChoice> {
    return this._changed;
  }

  setZone(zone: TimeZoneChoice): void {
    if (zone === this._zone) return;
    this._zone = zone;
    this._changed.emit(zone);
  }

  /** What time labels say about their clock: `UTC`, or the local offset such as `UTC+08:00`. */
  get label(): string {
    return this._zone === 'utc' ? 'UTC' : offsetLabel(Date.now());
  }

  /** `YYYY-MM-DD HH:MM:SS` on this clock; — for a missing time. */
  dateTime(ms: number | null | undefined): string {
    if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
    const d = new Date(ms);
    if (this._zone === 'utc') return d.toISOString().replace('T', ' ').slice(0, 19);
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  }

  /** `HH:MM:SS` on this clock. */
  time(ms: number | null | undefined): string {
    const text = this.dateTime(ms);
    return text === '—' ? text : text.slice(11);
  }

  /**
   * The x value that makes a Plotly date axis show `ms` on this clock. Plotly draws epoch-ms numbers in the browser's
   * local time, so UTC is shown by moving each time by the local offset at that time.
   */
  plotX(ms: number): number {
    return this._zone === 'local' ? ms : ms + new Date(ms).getTimezoneOffset() * 60_000;
  }

  /** The epoch ms of a value a Plotly date axis reports (a `YYYY-MM-DD HH:MM:SS.sss` wall time on this clock, or a number). */
  fromAxis(value: unknown): number {
    if (typeof value === 'number') return this._zone === 'local' ? value : value - new Date(value).getTimezoneOffset() * 60_000;
    const text = String(value).trim().replace(' ', 'T');
    return this._zone === 'utc' ? Date.parse(`${text}Z`) : Date.parse(text);
  }

  /** Minutes east of UTC of the chosen clock at `ms` (0 for UTC), e.g. for CSV exports. */
  offsetMinutes(ms: number): number {
    return this._zone === 'utc' ? 0 : -new Date(ms).getTimezoneOffset();
  }

  private _zone: TimeZoneChoice = 'utc';
  private _changed = new Signal<this, TimeZoneChoice>(this);
}

/** The panel's clock (one per page: the setting is the same for every panel). */
export const clock = new DisplayClock();
