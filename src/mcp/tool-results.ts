import type { CallToolResult } from '@modelcontextprotocol/server';
import type { DirectCallOutcome } from '../agent/direct/call-tool-directly.ts';
import type { ApprovalView } from '../agent/turns/chat-events.ts';

/**
 * Direct-call outcomes as MCP tool results. The text is what the chat's model reads (the compact
 * output, never a raw dump); `structuredContent` carries the same as an object. A Salesforce
 * failure is a result with `isError` the model can read; an access problem says "No output data"
 * and why.
 */

/** The compact output as text: strings as they are, objects as JSON. */
export function outputText(output: unknown): string {
  return typeof output === 'string' ? output : JSON.stringify(output);
}

function structured(output: unknown): Record<string, unknown> {
  if (typeof output === 'string') return { ok: true, text: output };
  if (output !== null && typeof output === 'object' && !Array.isArray(output))
    return output as Record<string, unknown>;
  return { ok: true, value: output };
}

export function callToolResult(outcome: Exclude<DirectCallOutcome, { kind: 'pending' }>): CallToolResult {
  if (outcome.kind === 'connect') {
    const text = `${outcome.prompt.message} Connect here: ${outcome.prompt.connectUrl}`;
    return {
      content: [{ type: 'text', text }],
      structuredContent: {
        ok: false,
        errorCode: 'CONNECT_SALESFORCE',
        message: outcome.prompt.message,
        connectUrl: outcome.prompt.connectUrl,
      },
      isError: true,
    };
  }
  if (outcome.kind === 'failure') {
    const body = {
      ok: false,
      errorCode: outcome.code.toUpperCase(),
      message: outcome.message,
      retryable: outcome.retryable,
      ...(outcome.connect ? { connectUrl: outcome.connect.connectUrl } : {}),
    };
    return {
      content: [{ type: 'text', text: JSON.stringify(body) }],
      structuredContent: body,
      isError: true,
    };
  }
  const { step, output } = outcome;
  if (step.status === 'ok') {
    return { content: [{ type: 'text', text: outputText(output) }], structuredContent: structured(output) };
  }
  const body = structured(output);
  if (step.status === 'no_output_data') {
    const why = step.reason ?? 'Salesforce did not let this user see the data.';
    const text = `No output data: ${why} ${outputText(output)}`;
    return {
      content: [{ type: 'text', text }],
      structuredContent: { ...body, noOutputData: why },
      isError: true,
    };
  }
  // error, refused (disabled), rejected, expired: the model reads why.
  return { content: [{ type: 'text', text: outputText(output) }], structuredContent: body, isError: true };
}

/** What a person is asked before a "Needs approval" call runs: the tool, object, record and each change. */
export function approvalQuestion(approval: ApprovalView): string {
  const input = (approval.input ?? {}) as { fields?: Record<string, unknown> };
  const target = [approval.objectType, approval.recordId].filter(Boolean).join(' ');
  const lines = [`Approve ${approval.tool}${target ? ` on ${target}` : ''}?`];
  const fields = input.fields ?? {};
  const before = approval.currentValues ?? {};
  if (approval.tool === 'delete_record') {
    lines.push('The record would be deleted. Its values now:');
    for (const [field, value] of Object.entries(before)) lines.push(`  ${field}: ${show(value)}`);
  }
  for (const [field, after] of Object.entries(fields)) {
    lines.push(
      approval.tool === 'update_record'
        ? `  ${field}: ${show(before[field] ?? null)} → ${show(after)}`
        : `  ${field}: ${show(after)}`,
    );
  }
  if (approval.currentValuesUnavailable) lines.push(approval.currentValuesUnavailable);
  lines.push(`Accept to approve, decline to reject. This request expires at ${approval.expiresAt}.`);
  return lines.join('\n');
}

function show(value: unknown): string {
  if (value === null || value === undefined || value === '') return '(empty)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The answer when nobody could be asked in the protocol: the approval is pending, here is where to decide. */
export function pendingResult(approval: ApprovalView, approvalUrl: string): CallToolResult {
  const text = `${approvalQuestion(approval).split('\n')[0]} This action needs the person's approval and did not run yet. Ask them to open ${approvalUrl} to approve or reject it, then call approval_status with approvalId "${approval.approvalId}" to get the outcome.`;
  return {
    content: [{ type: 'text', text }],
    structuredContent: {
      ok: false,
      status: 'pending_approval',
      approvalId: approval.approvalId,
      approvalUrl,
      expiresAt: approval.expiresAt,
    },
  };
}
