/**
 * The documented JSON format of a meeting, as the API accepts it and as `forcefield meetings import`
 * reads it. `docs/meeting.schema.json` is generated from these schemas (a test keeps the two equal),
 * so editors can validate import files before anyone runs them.
 */
import { z } from 'zod';

export const MEETING_ITEM_KINDS = ['insight', 'decision', 'next_step', 'task'] as const;
export type MeetingItemKind = (typeof MEETING_ITEM_KINDS)[number];

export const participantSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200).describe('Display name, e.g. "Dana Lee".'),
    email: z
      .email()
      .max(254)
      .describe('Email address; external participants are matched to Salesforce by it.'),
    internal: z
      .boolean()
      .describe('true for people of your own team; external participants drive record suggestions.'),
  })
  .meta({ id: 'Participant', title: 'Participant' });

export const meetingItemSchema = z
  .strictObject({
    id: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .describe('Your own identifier for the item, unique within the meeting; assigned when absent.'),
    kind: z.enum(MEETING_ITEM_KINDS).describe('What the summary item is.'),
    text: z.string().trim().min(1).max(5000).describe('The item as written in the summary.'),
    ownerEmail: z.email().max(254).optional().describe('Who is responsible for the item, when known.'),
    dueDate: z.iso.date().optional().describe('Due date as YYYY-MM-DD, when the item has one.'),
  })
  .meta({ id: 'MeetingItem', title: 'Meeting summary item' });

export const meetingSchema = z
  .strictObject({
    title: z.string().trim().min(1).max(255).describe('The meeting title.'),
    startTime: z.iso
      .datetime({ offset: true })
      .describe('Start as an ISO 8601 date-time with Z or an offset, e.g. 2027-02-01T15:00:00Z.'),
    endTime: z.iso.datetime({ offset: true }).describe('End, after the start.'),
    participants: z.array(participantSchema).max(500).describe('Everyone who took part.'),
    items: z
      .array(meetingItemSchema)
      .max(1000)
      .describe('The summary: insights, decisions, next steps, tasks.'),
  })
  .superRefine((meeting, context) => {
    // Refinements are invisible to JSON Schema; they hold the rules a schema cannot express.
    if (Date.parse(meeting.endTime) <= Date.parse(meeting.startTime)) {
      context.addIssue({ code: 'custom', path: ['endTime'], message: 'must be after startTime' });
    }
    // Salesforce keeps dates from 1700 to 4000: a meeting outside them could never be sent.
    for (const field of ['startTime', 'endTime'] as const) {
      const year = new Date(Date.parse(meeting[field])).getUTCFullYear();
      if (!(year >= 1700 && year <= 4000)) {
        context.addIssue({
          code: 'custom',
          path: [field],
          message: 'must be between the years 1700 and 4000',
        });
      }
    }
    const seen = new Set<string>();
    meeting.items.forEach((item, index) => {
      if (item.id === undefined) return;
      if (seen.has(item.id)) {
        context.addIssue({
          code: 'custom',
          path: ['items', index, 'id'],
          message: `duplicate item id "${item.id}"`,
        });
      }
      seen.add(item.id);
    });
  })
  .meta({ id: 'Meeting', title: 'Meeting' });

export const meetingListFileSchema = z.strictObject({
  $schema: z.string().optional().describe('Optional link to this schema, for editors.'),
  meetings: z.array(meetingSchema).min(1).max(1000),
});

/** An import file holds either `{ "meetings": [...] }` or one meeting object. */
export const meetingImportFileSchema = z.union([meetingListFileSchema, meetingSchema]).meta({
  title: 'Forcefield meeting import file',
  description: 'One meeting, or { "meetings": [...] }. Times are ISO 8601; due dates are YYYY-MM-DD.',
});

export type Participant = z.infer<typeof participantSchema>;
export type MeetingItem = z.infer<typeof meetingItemSchema>;
export type Meeting = z.infer<typeof meetingSchema>;

/** The JSON Schema published as `docs/meeting.schema.json`. */
export function meetingJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(meetingImportFileSchema, { target: 'draft-2020-12', io: 'input' });
}

export interface MeetingFormatError {
  /** Where the problem is, e.g. `meetings[0].items[2].dueDate`; empty for the document itself. */
  path: string;
  message: string;
}

export type MeetingParseResult<T> = { ok: true; value: T } | { ok: false; errors: MeetingFormatError[] };

export function formatIssuePath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text;
}

function toFormatErrors(error: z.ZodError, prefix: readonly PropertyKey[] = []): MeetingFormatError[] {
  return error.issues.map((issue) => ({
    path: formatIssuePath([...prefix, ...issue.path]),
    message: issue.message,
  }));
}

export function parseMeeting(input: unknown): MeetingParseResult<Meeting> {
  const result = meetingSchema.safeParse(input);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, errors: toFormatErrors(result.error) };
}

/**
 * Reads an import file. The two shapes are told apart by the `meetings` key rather than by trying
 * the union, so errors name the path in the shape the author meant instead of a union failure.
 */
export function parseMeetingImportFile(input: unknown): MeetingParseResult<Meeting[]> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return {
      ok: false,
      errors: [{ path: '', message: 'expected a meeting object or an object with a "meetings" array' }],
    };
  }
  if ('meetings' in input) {
    const result = meetingListFileSchema.safeParse(input);
    return result.success
      ? { ok: true, value: result.data.meetings }
      : { ok: false, errors: toFormatErrors(result.error) };
  }
  const single = parseMeeting(input);
  return single.ok ? { ok: true, value: [single.value] } : single;
}
