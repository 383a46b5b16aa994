/**
 * A small JSON Schema (draft 2020-12) checker for the subset docs/report-json.schema.json uses:
 * type (one or a list), const, enum, properties, required, additionalProperties (false or a
 * schema), items, minimum, maximum, pattern and local $ref (#/$defs/...). Any other keyword is an
 * error, so the schema cannot silently use something this does not check. Answers every problem
 * found as "<JSON pointer>: <what>".
 */
type Schema = Record<string, unknown>;

const KNOWN = new Set(['$schema', '$id', 'title', 'description', '$defs', 'type', 'const', 'enum', 'properties', 'required', 'additionalProperties', 'items', 'minimum', 'maximum', 'pattern', '$ref']);

export function checkJsonSchema(root: Schema, value: unknown): string[] {
  const problems: string[] = [];
  check(root, root, value, '', problems);
  return problems;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function check(root: Schema, schema: Schema, value: unknown, at: string, problems: string[]): void {
  for (const key of Object.keys(schema)) if (!KNOWN.has(key)) throw new Error(`${at || '/'}: schema keyword ${key} is not supported by this checker`);
  if (typeof schema.$ref === 'string') {
    const name = /^#\/\$defs\/(.+)$/.exec(schema.$ref)?.[1];
    const target = name === undefined ? undefined : (root.$defs as Record<string, Schema> | undefined)?.[name];
    if (target === undefined) throw new Error(`${at}: unresolved $ref ${schema.$ref}`);
    check(root, target, value, at, problems);
  }
  const actual = typeOf(value);
  if (schema.type !== undefined) {
    const allowed = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!allowed.includes(actual) && !(actual === 'integer' && allowed.includes('number'))) {
      problems.push(`${at}: is ${actual}, expected ${allowed.join(' or ')}`);
      return;
    }
  }
  if ('const' in schema && value !== schema.const) problems.push(`${at}: is ${JSON.stringify(value)}, expected ${JSON.stringify(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) problems.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) problems.push(`${at}: ${value} is below ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && value > schema.maximum) problems.push(`${at}: ${value} is above ${schema.maximum}`);
  }
  if (typeof value === 'string' && typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) problems.push(`${at}: ${JSON.stringify(value)} does not match ${schema.pattern}`);
  if (actual === 'array' && schema.items !== undefined) (value as unknown[]).forEach((item, i) => check(root, schema.items as Schema, item, `${at}/${i}`, problems));
  if (actual === 'object') {
    const object = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const key of (schema.required ?? []) as string[]) if (!(key in object)) problems.push(`${at}: misses required ${key}`);
    for (const [key, item] of Object.entries(object)) {
      const path = `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (key in properties) check(root, properties[key]!, item, path, problems);
      else if (schema.additionalProperties === false) problems.push(`${path}: is not allowed`);
      else if (typeof schema.additionalProperties === 'object') check(root, schema.additionalProperties as Schema, item, path, problems);
    }
  }
}
