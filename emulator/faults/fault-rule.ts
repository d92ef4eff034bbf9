import { z } from 'zod';

/** Every fault the emulator can inject; see README "Fault injection" for what a client sees. */
export const FAULT_KINDS = [
  'latency',
  'http-500',
  'http-502',
  'http-503',
  'unable-to-lock-row',
  'validation-error',
  'request-limit-exceeded',
  'invalid-session',
  'drop-before',
  'drop-after',
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

/** Ten minutes: long enough for any client timeout test, short enough to catch a typo in ms. */
const MAX_LATENCY_MS = 600_000;

export const faultRuleSchema = z
  .strictObject({
    id: z.string().min(1).max(100).optional(),
    method: z
      .string()
      .regex(/^(\*|[A-Za-z]+)$/, 'must be an HTTP method or *')
      .transform((method) => method.toUpperCase())
      .optional(),
    path: z.string().startsWith('/', 'must be a URL path glob starting with /').max(1000),
    kind: z.enum(FAULT_KINDS),
    probability: z.number().min(0).max(1).optional(),
    times: z.number().int().min(1).optional(),
    latencyMs: z.number().int().min(0).max(MAX_LATENCY_MS).optional(),
    jitterMs: z.number().int().min(0).max(MAX_LATENCY_MS).optional(),
    /**
     * Parks each matching request until it is released through the admin API
     * (`POST /__emulator/faults/{id}/release`); then the rule's delay and fault apply as usual.
     */
    hold: z.boolean().optional(),
    /** `validation-error`: Salesforce's errorCode (default FIELD_CUSTOM_VALIDATION_EXCEPTION). */
    errorCode: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]*$/, 'must be a Salesforce error code such as FIELD_CUSTOM_VALIDATION_EXCEPTION')
      .max(100)
      .optional(),
    /** `validation-error`: the message, as a validation rule's error message. */
    message: z.string().min(1).max(1000).optional(),
    /** `validation-error`: the API names of the fields the error is about. */
    fields: z.array(z.string().min(1).max(100)).max(50).optional(),
  })
  .refine(
    (rule) =>
      rule.kind !== 'latency' ||
      rule.latencyMs !== undefined ||
      rule.jitterMs !== undefined ||
      rule.hold === true,
    {
      message: 'a latency rule needs latencyMs (and optionally jitterMs), or hold',
      path: ['latencyMs'],
    },
  )
  .refine(
    (rule) =>
      rule.kind === 'validation-error' ||
      (rule.errorCode === undefined && rule.message === undefined && rule.fields === undefined),
    { message: 'errorCode, message and fields belong to validation-error rules', path: ['errorCode'] },
  );

/** A rule as written by a user: in `startEmulator({ faults })`, a `--faults` file or the admin API. */
export type FaultRule = z.input<typeof faultRuleSchema>;

/** A validated rule: method upper-cased. */
export type ParsedFaultRule = z.output<typeof faultRuleSchema>;

export interface FaultConfiguration {
  seed?: number;
  rules: ParsedFaultRule[];
}

const faultConfigurationObjectSchema = z.strictObject({
  seed: z.number().int().optional(),
  rules: z.array(faultRuleSchema),
});

export type ParseResult<T> = { success: true; data: T } | { success: false; message: string };

/**
 * A fault file or `PUT /__emulator/faults` body: a bare array of rules, or `{ seed?, rules }`.
 * Parsed by shape rather than with a zod union, so errors name the offending rule field.
 */
export function parseFaultConfiguration(value: unknown): ParseResult<FaultConfiguration> {
  if (Array.isArray(value)) {
    const parsed = z.array(faultRuleSchema).safeParse(value);
    return parsed.success
      ? { success: true, data: { rules: parsed.data } }
      : { success: false, message: describeIssues(parsed.error) };
  }
  const parsed = faultConfigurationObjectSchema.safeParse(value);
  return parsed.success
    ? { success: true, data: parsed.data }
    : { success: false, message: describeIssues(parsed.error) };
}

export function parseFaultRule(value: unknown): ParseResult<ParsedFaultRule> {
  const parsed = faultRuleSchema.safeParse(value);
  return parsed.success
    ? { success: true, data: parsed.data }
    : { success: false, message: describeIssues(parsed.error) };
}

/** One line per problem, with the JSON path of the offending value: `rules[0].kind: Invalid option…`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path
        .map((key, index) =>
          typeof key === 'number' ? `[${key}]` : index === 0 ? String(key) : `.${String(key)}`,
        )
        .join('');
      return where ? `${where}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
