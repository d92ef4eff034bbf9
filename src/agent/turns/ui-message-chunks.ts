import type { UIMessage, UIMessageChunk } from 'ai';
import type { ApprovalView, ChatEvent, ConnectPrompt, TurnStatus } from './chat-events.ts';
import { type LiveStep, outlineOf, type StepView, viewOfStep } from './steps.ts';

/**
 * The chat as the AI SDK's UI message stream (what `useChat` from `@ai-sdk/react` reads): one
 * assistant message per turn, its text, one dynamic tool part per step (input, output, approval
 * request), and data parts for what a tool part cannot say (the step outline for "Analyzed
 * sources", the approval card, the connect prompt, notices and readable errors).
 * The protocol is described in the README ("Chat protocol").
 */

export interface ChatMessageMetadata {
  conversationId?: string;
  /** How the turn ended (on the `finish` chunk). */
  status?: TurnStatus;
}

export interface ChatDataParts {
  [key: string]: unknown;
  /** One per step, replaced as the step moves on (same id): Analyzed sources. */
  step: StepView;
  /** The approval card's content (id = approvalId). */
  approval: ApprovalView;
  /** Connect Salesforce first, then resume. */
  connect: ConnectPrompt;
  notice: { code: string; message: string };
  /** A readable failure (Salesforce or the model) with what to do. */
  error: { code: string; message: string };
}

export type ChatUIMessage = UIMessage<ChatMessageMetadata, ChatDataParts>;
export type ChatUIMessageChunk = UIMessageChunk<ChatMessageMetadata, ChatDataParts>;

/** Translates a turn's events, in order, into UI message chunks; keeps what the stream needs to remember. */
export class UIMessageChunkTranslator {
  #textId: string | undefined;
  #textCount = 0;
  #messageId = '';
  readonly #announcedCalls = new Set<string>();
  readonly #settledCalls = new Set<string>();

  translate(event: ChatEvent): ChatUIMessageChunk[] {
    switch (event.type) {
      case 'turn':
        this.#messageId = event.messageId;
        return [
          {
            type: 'start',
            messageId: event.messageId,
            messageMetadata: { conversationId: event.conversationId },
          },
        ];
      case 'text':
        return this.#text(event.delta);
      case 'step':
        return [...this.#closeText(), ...this.#step(event.step)];
      case 'approval':
        return [
          ...this.#closeText(),
          { type: 'data-approval', id: event.approval.approvalId, data: event.approval },
          {
            type: 'tool-approval-request',
            approvalId: event.approval.approvalId,
            toolCallId: event.approval.toolCallId,
            approvalDescriptor: { inputHash: event.approval.inputHash },
          },
        ];
      case 'connect':
        return [
          ...this.#closeText(),
          { type: 'data-connect', id: `connect-${this.#messageId}`, data: event.connect },
        ];
      case 'notice':
        return [
          ...this.#closeText(),
          { type: 'data-notice', data: { code: event.code, message: event.message } },
        ];
      case 'error':
        return [
          ...this.#closeText(),
          { type: 'data-error', data: { code: event.code, message: event.message } },
        ];
      case 'done': {
        const status = (event.message as { status?: TurnStatus }).status;
        return [...this.#closeText(), { type: 'finish', messageMetadata: status ? { status } : {} }];
      }
    }
  }

  #text(delta: string): ChatUIMessageChunk[] {
    const chunks: ChatUIMessageChunk[] = [];
    if (this.#textId === undefined) {
      this.#textCount++;
      this.#textId = `${this.#messageId}-text-${this.#textCount}`;
      chunks.push({ type: 'text-start', id: this.#textId });
    }
    chunks.push({ type: 'text-delta', id: this.#textId, delta });
    return chunks;
  }

  #closeText(): ChatUIMessageChunk[] {
    if (this.#textId === undefined) return [];
    const id = this.#textId;
    this.#textId = undefined;
    return [{ type: 'text-end', id }];
  }

  #step(step: LiveStep): ChatUIMessageChunk[] {
    const chunks: ChatUIMessageChunk[] = [
      { type: 'data-step', id: step.id, data: viewOfStep(outlineOf(step), step) },
    ];
    const toolCallId = step.id;
    if (!this.#announcedCalls.has(toolCallId)) {
      this.#announcedCalls.add(toolCallId);
      chunks.push({
        type: 'tool-input-available',
        toolCallId,
        toolName: step.tool,
        input: step.input,
        dynamic: true,
      });
    }
    if (this.#settledCalls.has(toolCallId)) return chunks;
    const settled = settledChunk(step);
    if (settled) {
      this.#settledCalls.add(toolCallId);
      chunks.push(settled);
    }
    return chunks;
  }
}

/** The tool part's final state for a step that ended; undefined while it runs or waits. */
function settledChunk(step: LiveStep): ChatUIMessageChunk | undefined {
  const toolCallId = step.id;
  // An approved conditional write refused because the record changed (412): not the end of the
  // call, which is asked again at once (run-approved-call.ts) — its part goes back to approval.
  if (step.status === 'error' && step.code === 'PRECONDITION_FAILED') return undefined;
  switch (step.status) {
    case 'running':
    case 'awaiting_approval':
      return undefined;
    case 'ok':
      return { type: 'tool-output-available', toolCallId, output: step.result ?? null, dynamic: true };
    case 'rejected':
      return { type: 'tool-output-denied', toolCallId };
    case 'no_output_data':
    case 'error':
    case 'refused':
    case 'expired':
      return {
        type: 'tool-output-error',
        toolCallId,
        errorText: step.reason ?? 'The tool call did not complete.',
        dynamic: true,
      };
  }
}
