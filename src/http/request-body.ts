import type { Context } from 'hono';
import type { z } from 'zod';
import { ServiceError } from '../core/errors.ts';

/**
 * Reads and validates a JSON body: 415 unless it is sent as JSON, 400 for malformed JSON or a body
 * the schema refuses (naming the field and why).
 */
export async function readJsonBody<Schema extends z.ZodType>(
  context: Context,
  schema: Schema,
): Promise<z.output<Schema>> {
  const contentType = context.req.header('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(contentType)) {
    throw new ServiceError(
      415,
      'unsupported_media_type',
      'Send the body as JSON (Content-Type: application/json).',
    );
  }
  let body: unknown;
  try {
    body = await context.req.json();
  } catch {
    throw new ServiceError(400, 'invalid_json', 'The body is not valid JSON.');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      path: issue.path.join('.'),
      message: issue.message,
    }));
    const first = issues[0];
    const message = first.path ? `${first.path}: ${first.message}` : first.message;
    throw new ServiceError(400, 'invalid_input', message, { issues });
  }
  return parsed.data;
}
