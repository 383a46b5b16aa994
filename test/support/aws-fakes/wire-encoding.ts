/**
 * Encodes SDK output objects in the AWS wire formats, driven by the SDK's own schemas: EC2 query
 * protocol XML (element names from each member's xmlName trait, list members as <item>) and the
 * JSON 1.1 protocol (timestamps as epoch seconds). Values that the SDK would parse back are the only
 * thing produced, so a response decodes to exactly the object given.
 */
import { NormalizedSchema } from '@smithy/core/schema';
import type { StaticOperationSchema } from '@smithy/types';

export function outputSchemaOf(operation: StaticOperationSchema): NormalizedSchema {
  return NormalizedSchema.of(operation[5]);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function scalarText(schema: NormalizedSchema, value: unknown): string {
  if (schema.isTimestampSchema()) return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
  return String(value);
}

function xmlValue(schema: NormalizedSchema, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (schema.isStructSchema()) {
    let out = '';
    const record = value as Record<string, unknown>;
    for (const [name, member] of schema.structIterator()) {
      if (record[name] === undefined) continue;
      const element = (member.getMergedTraits().xmlName as string | undefined) ?? name;
      out += `<${element}>${xmlValue(member, record[name])}</${element}>`;
    }
    return out;
  }
  if (schema.isListSchema()) {
    const item = schema.getValueSchema();
    const element = (item.getMergedTraits().xmlName as string | undefined) ?? 'member';
    return (value as unknown[]).map((v) => `<${element}>${xmlValue(item, v)}</${element}>`).join('');
  }
  return escapeXml(scalarText(schema, value));
}

export function ec2XmlResponse(operationName: string, schema: NormalizedSchema, output: object): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${operationName}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>00000000-0000-4000-8000-000000000000</requestId>${xmlValue(schema, output)}</${operationName}Response>`;
}

export function ec2XmlError(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error></Errors><RequestID>00000000-0000-4000-8000-000000000000</RequestID></Response>`;
}

function jsonValue(schema: NormalizedSchema, value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  if (schema.isStructSchema()) {
    const out: Record<string, unknown> = {};
    const record = value as Record<string, unknown>;
    for (const [name, member] of schema.structIterator()) if (record[name] !== undefined) out[name] = jsonValue(member, record[name]);
    return out;
  }
  if (schema.isListSchema()) return (value as unknown[]).map((v) => jsonValue(schema.getValueSchema(), v));
  if (schema.isMapSchema()) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) out[key] = jsonValue(schema.getValueSchema(), v);
    return out;
  }
  if (schema.isTimestampSchema()) return (value instanceof Date ? value.getTime() : Date.parse(String(value))) / 1000;
  return value;
}

export function jsonResponse(schema: NormalizedSchema, output: object): string {
  return JSON.stringify(jsonValue(schema, output));
}
