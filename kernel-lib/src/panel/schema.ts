// A small declarative checker for JSON requests: every value is checked against a spec, unknown fields are
// refused, and each refusal names the dotted path of the offending field.

/** A request the handler refuses; `field` is the dotted path of the offending field, when there is one. */
export class RequestError extends Error {
  constructor(message: string, readonly field?: string) {
    super(message);
    this.name = 'RequestError';
  }
}

export type Spec =
  | { type: 'string'; optional?: boolean; minLength?: number; maxLength?: number; pattern?: RegExp; patternHint?: string; oneOf?: readonly string[]; symbol?: boolean }
  | { type: 'number'; optional?: boolean; min: number; max: number; integer?: boolean }
  | { type: 'boolean'; optional?: boolean }
  | { type: 'array'; optional?: boolean; of: Spec; minItems: number; maxItems: number; unique?: boolean; countHint?: string }
  | { type: 'object'; optional?: boolean; fields: Readonly<Record<string, Spec>> }
  | { type: 'variant'; optional?: boolean; tag: string; variants: Readonly<Record<string, Readonly<Record<string, Spec>>>> };

/** Context of a check: symbols marked `symbol: true` must be in `universe` (when given). */
export interface CheckContext {
  universe?: ReadonlySet<string>;
}

const describe = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number') return `the number ${value}`;
  return `a ${typeof value}`;
};

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Checks `value` against `spec`; throws {@link RequestError} naming `path` on the first problem. */
export function check(value: unknown, spec: Spec, path: string, ctx: CheckContext): void {
  switch (spec.type) {
    case 'string': return checkString(value, spec, path, ctx);
    case 'number': return checkNumber(value, spec, path);
    case 'boolean':
      if (typeof value !== 'boolean') throw new RequestError(`${path} must be true or false, not ${describe(value)}`, path);
      return;
    case 'array': {
      if (!Array.isArray(value)) throw new RequestError(`${path} must be an array, not ${describe(value)}`, path);
      if (value.length < spec.minItems || value.length > spec.maxItems) {
        throw new RequestError(`${path} must have ${spec.minItems} to ${spec.maxItems} items, not ${value.length}${spec.countHint ? ` (${spec.countHint})` : ''}`, path);
      }
      value.forEach((item, i) => check(item, spec.of, `${path}[${i}]`, ctx));
      if (spec.unique) {
        const seen = new Set<unknown>();
        value.forEach((item, i) => {
          if (seen.has(item)) throw new RequestError(`${path}[${i}] repeats ${describe(item)}; list each value once`, `${path}[${i}]`);
          seen.add(item);
        });
      }
      return;
    }
    case 'object': return checkFields(value, spec.fields, path, ctx);
    case 'variant': {
      if (!isPlainObject(value)) throw new RequestError(`${path} must be an object, not ${describe(value)}`, path);
      const tag = value[spec.tag];
      const tags = Object.keys(spec.variants);
      if (typeof tag !== 'string' || !Object.prototype.hasOwnProperty.call(spec.variants, tag)) {
        throw new RequestError(`${path}.${spec.tag} must be one of ${tags.join(', ')}, not ${describe(tag)}`, `${path}.${spec.tag}`);
      }
      return checkFields(value, { [spec.tag]: { type: 'string' }, ...spec.variants[tag] }, path, ctx);
    }
  }
}

/** Checks an object's fields: refuses unknown ones and missing required ones, then checks each value. */
export function checkFields(value: unknown, fields: Readonly<Record<string, Spec>>, path: string, ctx: CheckContext): void {
  if (!isPlainObject(value)) throw new RequestError(`${path} must be an object, not ${describe(value)}`, path);
  const at = (key: string): string => (path ? `${path}.${key}` : key);
  for (const key of Object.keys(value)) {
    if (!Object.prototype.hasOwnProperty.call(fields, key)) {
      const allowed = Object.keys(fields);
      throw new RequestError(`unknown field ${JSON.stringify(key)}${path ? ` in ${path}` : ''}; allowed fields: ${allowed.join(', ') || 'none'}`, at(key));
    }
  }
  for (const [key, spec] of Object.entries(fields)) {
    const v = value[key];
    if (v === undefined) {
      if (!spec.optional) throw new RequestError(`missing field ${at(key)}`, at(key));
      continue;
    }
    check(v, spec, at(key), ctx);
  }
}

function checkString(value: unknown, spec: Extract<Spec, { type: 'string' }>, path: string, ctx: CheckContext): void {
  if (typeof value !== 'string') throw new RequestError(`${path} must be a string, not ${describe(value)}`, path);
  if (spec.oneOf && !spec.oneOf.includes(value)) {
    throw new RequestError(`${path} must be one of ${spec.oneOf.join(', ')}, not ${describe(value)}`, path);
  }
  const min = spec.minLength ?? 0;
  if (value.length < min || (spec.maxLength !== undefined && value.length > spec.maxLength)) {
    throw new RequestError(`${path} must be ${min} to ${spec.maxLength ?? '∞'} characters long, not ${value.length}`, path);
  }
  if (spec.pattern && !spec.pattern.test(value)) {
    throw new RequestError(`${path} is ${describe(value)}, which is not ${spec.patternHint ?? `of the form ${spec.pattern.source}`}`, path);
  }
  if (spec.symbol && ctx.universe && !ctx.universe.has(value)) {
    const list = [...ctx.universe].slice(0, 20).join(', ');
    throw new RequestError(`${path} is ${describe(value)}, which is not in the universe (${list}); add it with setUniverse first`, path);
  }
}

function checkNumber(value: unknown, spec: Extract<Spec, { type: 'number' }>, path: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new RequestError(`${path} must be a finite number, not ${describe(value)}`, path);
  if (spec.integer && !Number.isInteger(value)) throw new RequestError(`${path} must be a whole number, not ${value}`, path);
  if (value < spec.min || value > spec.max) throw new RequestError(`${path} must be between ${spec.min} and ${spec.max}, not ${value}`, path);
}
