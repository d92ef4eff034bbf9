import { classifyToolError } from './classify-tool-error.ts';
import { readToolHandlers } from './read-tools.ts';
import type { ToolEnvironment, ToolExecution, ToolHandler, ToolScope } from './tool-execution.ts';
import type { ToolName } from './tool-permissions.ts';
import { writeToolHandlers } from './write-tools.ts';

/**
 * Runs one tool call that has already been allowed. Permissions, approvals, audit and the step log
 * are not here (dispatch/dispatch-tool-call.ts); each tool's own work is in read-tools.ts and
 * write-tools.ts.
 */

const handlers: Record<ToolName, ToolHandler> = { ...readToolHandlers, ...writeToolHandlers };

/** Runs one allowed tool call. Salesforce errors come back classified; only failures throw. */
export async function executeTool(
  toolName: ToolName,
  rawInput: unknown,
  environment: ToolEnvironment,
): Promise<ToolExecution> {
  const scope: ToolScope = { objectType: null, objectLevel: false };
  try {
    return await handlers[toolName](rawInput, environment, scope);
  } catch (error) {
    return classifyToolError(error, scope);
  }
}
