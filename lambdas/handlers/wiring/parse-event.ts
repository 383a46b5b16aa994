/**
 * Parses a Lambda's input with its zod/mini schema. A mismatch throws zod's own error (its message
 * is the issues as JSON) named `ZodError`, as classic zod named it (zod/mini says `$ZodError`): the
 * name is the Lambda's error type, which Step Functions records for a failed task.
 */
import { $ZodError } from 'zod/v4/core';
import type * as z from 'zod/mini';

export function parseEvent<T extends z.ZodMiniType>(schema: T, event: unknown): z.output<T> {
  try {
    return schema.parse(event);
  } catch (error) {
    if (error instanceof $ZodError) error.name = 'ZodError';
    throw error;
  }
}
