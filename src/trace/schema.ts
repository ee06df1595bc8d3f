// A validator compiled from a JSON Schema, for the subset docs/trace-format.schema.json uses:
// $ref to #/$defs, type, const, enum, pattern, minimum/maximum, minItems/maxItems, required,
// properties, items and oneOf. The schema document stays the one definition of the format; this
// turns it into closures once, so checking each line of a million-event trace is cheap.

export type Validator = (value: unknown, where: string) => string | null;

interface Schema {
  $ref?: string;
  $defs?: Record<string, Schema>;
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  const?: unknown;
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  oneOf?: Schema[];
}

export function compileSchema(root: Schema): Validator {
  const defs = new Map<string, Validator>();
  const compile = (schema: Schema): Validator => {
    const checks: Validator[] = [];
    if (schema.$ref) {
      const name = schema.$ref.replace(/^#\/\$defs\//, '');
      if (!root.$defs?.[name]) throw new Error(`schema: unknown $ref ${schema.$ref}`);
      checks.push((v, w) => {
        let target = defs.get(name);
        if (!target) {
          target = compile(root.$defs![name]);
          defs.set(name, target);
        }
        return target(v, w);
      });
    }
    if (schema.type) checks.push(typeCheck(schema.type));
    if ('const' in schema) checks.push((v, w) => (v === schema.const ? null : `${w} must be ${JSON.stringify(schema.const)}`));
    if (schema.enum) {
      const allowed = schema.enum;
      checks.push((v, w) => (allowed.includes(v) ? null : `${w} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`));
    }
    if (schema.pattern) {
      const re = new RegExp(schema.pattern);
      checks.push((v, w) => (typeof v !== 'string' || re.test(v) ? null : `${w} is not of the form ${schema.pattern}`));
    }
    if (schema.minimum !== undefined) checks.push((v, w) => (typeof v !== 'number' || v >= schema.minimum! ? null : `${w} is below ${schema.minimum}`));
    if (schema.maximum !== undefined) checks.push((v, w) => (typeof v !== 'number' || v <= schema.maximum! ? null : `${w} is above ${schema.maximum}`));
    if (schema.minItems !== undefined || schema.maxItems !== undefined) {
      const min = schema.minItems ?? 0;
      const max = schema.maxItems ?? Infinity;
      checks.push((v, w) => (!Array.isArray(v) || (v.length >= min && v.length <= max) ? null : `${w} must have ${min === max ? min : `${min} to ${max}`} items`));
    }
    if (schema.required) {
      const required = schema.required;
      checks.push((v, w) => {
        if (!isObject(v)) return null;
        for (const key of required) if (!(key in v)) return `${w} lacks "${key}"`;
        return null;
      });
    }
    if (schema.properties) {
      const props = Object.entries(schema.properties).map(([key, s]) => [key, compile(s)] as const);
      checks.push((v, w) => {
        if (!isObject(v)) return null;
        for (const [key, check] of props) {
          if (!(key in v)) continue;
          const error = check(v[key], `${w}.${key}`);
          if (error) return error;
        }
        return null;
      });
    }
    if (schema.items) {
      const item = compile(schema.items);
      checks.push((v, w) => {
        if (!Array.isArray(v)) return null;
        for (let k = 0; k < v.length; k++) {
          const error = item(v[k], `${w}[${k}]`);
          if (error) return error;
        }
        return null;
      });
    }
    if (schema.oneOf) {
      const options = schema.oneOf.map(compile);
      const discriminator = discriminatorOf(root, schema.oneOf);
      if (discriminator) {
        // Every option fixes one property to a constant (`type`, `kind`): validate against the
        // option the value names, so its error is the one reported.
        const [key, values] = discriminator;
        checks.push((v, w) => {
          if (!isObject(v)) return `${w} must be an object`;
          const k = values.indexOf(v[key]);
          if (k < 0) return `${w}.${key} must be one of ${values.map((a) => JSON.stringify(a)).join(', ')}`;
          return options[k](v, w);
        });
        return finish(checks);
      }
      checks.push((v, w) => {
        const errors: string[] = [];
        let matches = 0;
        for (const option of options) {
          const error = option(v, w);
          if (error) errors.push(error);
          else matches++;
        }
        if (matches === 1) return null;
        if (matches > 1) return `${w} matches more than one form`;
        return bestError(errors);
      });
    }
    return finish(checks);
  };
  return compile(root);
}

function finish(checks: Validator[]): Validator {
  return (v, w) => {
    for (const check of checks) {
      const error = check(v, w);
      if (error) return error;
    }
    return null;
  };
}

/** The property every option of a oneOf fixes with `const` (after following $refs), with the
 *  constant of each option in order; null when there is none. */
function discriminatorOf(root: Schema, options: Schema[]): [string, unknown[]] | null {
  const resolved = options.map((o) => (o.$ref ? root.$defs?.[o.$ref.replace(/^#\/\$defs\//, '')] : o));
  const first = resolved[0]?.properties;
  if (!first) return null;
  for (const key of Object.keys(first)) {
    const values = resolved.map((o) => o?.properties?.[key]?.const);
    if (values.every((c) => c !== undefined) && new Set(values).size === values.length) return [key, values];
  }
  return null;
}

/** Of the errors of a failed oneOf, the longest: it names the most specific part of the value. */
function bestError(errors: string[]): string {
  return errors.reduce((best, e) => (e.length > best.length ? e : best), errors[0]);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeCheck(type: NonNullable<Schema['type']>): Validator {
  switch (type) {
    case 'object':
      return (v, w) => (isObject(v) ? null : `${w} must be an object`);
    case 'array':
      return (v, w) => (Array.isArray(v) ? null : `${w} must be an array`);
    case 'string':
      return (v, w) => (typeof v === 'string' ? null : `${w} must be a string`);
    case 'integer':
      return (v, w) => (Number.isInteger(v) ? null : `${w} must be an integer`);
    case 'number':
      return (v, w) => (typeof v === 'number' ? null : `${w} must be a number`);
    case 'boolean':
      return (v, w) => (typeof v === 'boolean' ? null : `${w} must be true or false`);
  }
}
