import { ZodError } from 'zod';
import { SalesforceApiError, SalesforceConnectionError } from '../../salesforce/errors.ts';
import { classifySalesforceError } from './classify-salesforce-error.ts';
import { ToolFailure, ToolInputError } from './tool-errors.ts';
import type { ToolExecution, ToolScope } from './tool-execution.ts';

/** A failed tool call as a result the model reads, a No output data step, or a ToolFailure thrown. */
export function classifyToolError(error: unknown, scope: ToolScope): ToolExecution {
  const base = { objectType: scope.objectType, recordIds: [] as string[] };
  if (error instanceof ToolInputError) {
    return {
      kind: 'error',
      ...base,
      code: error.code,
      reason: error.message,
      output: { ok: false, errorCode: error.code.toUpperCase(), message: error.message },
    };
  }
  if (error instanceof ZodError) {
    const message = error.issues
      .map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`)
      .join('; ');
    return {
      kind: 'error',
      ...base,
      code: 'invalid_input',
      reason: 'The tool input was not valid.',
      output: { ok: false, errorCode: 'INVALID_INPUT', message },
    };
  }
  if (error instanceof SalesforceApiError) {
    const classified = classifySalesforceError(
      {
        errorCode: error.salesforceErrorCode,
        message: error.message.replace(/^Salesforce: /, ''),
        fields: error.fields,
        status: error.status === 502 ? 502 : 400,
      },
      {
        ...(scope.objectType ? { objectName: scope.objectType } : {}),
        objectLevel: scope.objectLevel,
      },
    );
    if (classified.kind === 'no_access') {
      return {
        kind: 'no_access',
        ...base,
        code: classified.reason,
        reason: classified.reasonText,
        output: classified.toolResult,
      };
    }
    if (classified.kind === 'recoverable') {
      return {
        kind: 'error',
        ...base,
        code: classified.auditCode,
        // Salesforce's message may quote values: the model reads it, the step shows only the code.
        reason: `Salesforce refused the request (${classified.auditCode}).`,
        output: classified.toolResult,
      };
    }
    throw new ToolFailure(
      classified.auditCode,
      `Salesforce could not complete the request (${classified.auditCode}).${classified.retryable ? ' Try again in a moment.' : ''}`,
      { retryable: classified.retryable },
    );
  }
  if (error instanceof SalesforceConnectionError) {
    throw new ToolFailure(error.code, error.message, {
      retryable: error.retryable,
      needsReconnect: error.code === 'needs_reconnect',
    });
  }
  throw error;
}
