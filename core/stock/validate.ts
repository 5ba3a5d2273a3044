import type { z } from 'zod';
import { AppError } from '../errors.ts';

/**
 * Parses a verb's input; a refusal is a validation_failed AppError whose message names each field
 * ("partner: a partner outflow names the partner"), readable as is by the API and the bot.
 */
export function validate<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const details = result.error.issues.map((i) => ({
    field: i.path.map(String).join('.') || '(input)',
    message: i.message,
  }));
  throw new AppError('validation_failed', details.map((d) => `${d.field}: ${d.message}`).join('; '), details);
}
