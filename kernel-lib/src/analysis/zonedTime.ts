// ISO 8601 times on a chosen clock for CSV exports: UTC (`…Z`) by default, or an IANA time zone with its offset at
// each time (`2026-12-04T08:26:25.000+08:00`), so a file in local time still names every instant exactly.
const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formats.set(timeZone, f);
  }
  return f;
}

/** Whether `timeZone` is a time zone this runtime knows (an IANA name such as `Asia/Singapore`, or `UTC`). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `ms` as ISO 8601 on `timeZone` (default UTC, written with `Z`). */
export function isoInZone(ms: number, timeZone?: string): string {
  if (!timeZone || timeZone === 'UTC') return new Date(ms).toISOString();
  const parts: Record<string, number> = {};
  for (const p of formatFor(timeZone).formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const millis = ((ms % 1000) + 1000) % 1000;
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second, millis);
  const offset = Math.round((wall - ms) / 60_000);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${parts.year}-${pad(parts.month)}-${pad(parts.day)}T${pad(parts.hour)}:${pad(parts.minute)}:${pad(parts.second)}.${pad(millis, 3)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}
