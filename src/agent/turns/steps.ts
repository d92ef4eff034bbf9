/**
 * A step is one tool call of an assistant turn: the "analyzed sources" a person can expand.
 * The outline (tool, object, status, duration, record ids) is stored with the message; the input
 * and the result live in memory only (store/conversation-memory.ts) and disappear with it.
 */

export type StepStatus =
  | 'running'
  | 'ok'
  | 'no_output_data'
  | 'error'
  | 'awaiting_approval'
  | 'rejected'
  /** The tool is disabled for this agent (or unknown): refused on the server. */
  | 'refused'
  /** Nobody decided in time; the model was told the action did not happen. */
  | 'expired';

export interface StepOutline {
  id: string;
  tool: string;
  objectType: string | null;
  status: StepStatus;
  durationMs: number | null;
  recordIds: string[];
  /** Our wording, for no_output_data, refused and error steps (never Salesforce's message). */
  reason?: string;
  /** Stable code behind `reason`. */
  code?: string;
  approvalId?: string;
}

export interface LiveStep extends StepOutline {
  messageId: string;
  input: unknown;
  /** What the model was given, while the conversation is live. */
  result?: unknown;
  /** Bytes of Salesforce's JSON and of what the model read, for the context measure. */
  rawBytes?: number;
  contextBytes?: number;
}

export function outlineOf(step: StepOutline): StepOutline {
  return {
    id: step.id,
    tool: step.tool,
    objectType: step.objectType,
    status: step.status,
    durationMs: step.durationMs,
    recordIds: step.recordIds,
    ...(step.reason === undefined ? {} : { reason: step.reason }),
    ...(step.code === undefined ? {} : { code: step.code }),
    ...(step.approvalId === undefined ? {} : { approvalId: step.approvalId }),
  };
}

/** A step as the API shows it: the live details when still in memory, else the outline and a note. */
export function viewOfStep(outline: StepOutline, live: LiveStep | undefined) {
  if (!live) return { ...outline, live: false as const };
  return {
    ...outlineOf(live),
    live: true as const,
    input: live.input,
    ...(live.result === undefined ? {} : { result: live.result }),
    ...(live.rawBytes === undefined ? {} : { rawBytes: live.rawBytes, contextBytes: live.contextBytes }),
  };
}

export type StepView = ReturnType<typeof viewOfStep>;
