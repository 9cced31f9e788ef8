// Where each top-level member of a JSON object sits in its source text. The simulator needs the raw text of a
// request's `id` (an unsigned 64-bit id does not survive JSON.parse) and the column Binance's errors quote.
// Input must already be valid JSON (JSON.parse succeeded).

export interface JsonMember {
  key: string;
  /** The value's raw source text. */
  raw: string;
  /** Offset of the value's last character. */
  last: number;
}

export interface JsonObjectLayout {
  members: JsonMember[];
  /** Offset of the object's closing brace. */
  close: number;
}

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';

function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text[i])) i++;
  return i;
}

/** Offset just past the string literal starting at `i`. */
function stringEnd(text: string, i: number): number {
  let j = i + 1;
  while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
  return j + 1;
}

/** Offset just past the JSON value starting at `i`. */
function valueEnd(text: string, i: number): number {
  const c = text[i];
  if (c === '"') return stringEnd(text, i);
  if (c !== '{' && c !== '[') {
    let j = i;
    while (j < text.length && !isSpace(text[j]) && text[j] !== ',' && text[j] !== '}' && text[j] !== ']') j++;
    return j;
  }
  let depth = 0;
  let j = i;
  while (j < text.length) {
    const d = text[j];
    if (d === '"') { j = stringEnd(text, j); continue; }
    if (d === '{' || d === '[') depth++;
    else if (d === '}' || d === ']') depth--;
    j++;
    if (depth === 0) return j;
  }
  return j;
}

/** The members of the top-level object in `text`, or undefined when the top-level value is not an object. */
export function jsonObjectLayout(text: string): JsonObjectLayout | undefined {
  let i = skipSpace(text, 0);
  if (text[i] !== '{') return undefined;
  const members: JsonMember[] = [];
  i = skipSpace(text, i + 1);
  while (text[i] === '"') {
    const keyEnd = stringEnd(text, i);
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    const start = skipSpace(text, skipSpace(text, keyEnd) + 1);
    const end = valueEnd(text, start);
    members.push({ key, raw: text.slice(start, end), last: end - 1 });
    i = skipSpace(text, end);
    if (text[i] === ',') i = skipSpace(text, i + 1);
  }
  return { members, close: i };
}

/** Binance's (serde_json's) 1-based `line L column C` of the character at `offset`. */
export function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `line ${line} column ${offset - before.lastIndexOf('\n')}`;
}
