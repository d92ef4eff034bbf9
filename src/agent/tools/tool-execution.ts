import { isValidObjectName } from '../../salesforce/query-syntax.ts';
import type { RecordVersion } from '../../salesforce/salesforce-types.ts';
import type { CompactRemainder } from './compact/compact-pages.ts';
import { measureCompaction } from './compact/compact-pages.ts';
import type { AgentSalesforceClient } from './tool-catalog.ts';
import { ToolInputError } from './tool-errors.ts';
import type { PaginatedToolName } from './tool-permissions.ts';

/**
 * What a tool runs with and what it answers: the shared vocabulary of execute-tool.ts, the read
 * and write tools, and the error classification.
 */

export interface ToolEnvironment {
  client: AgentSalesforceClient;
  /** Keeps a remainder in memory and answers its cursor. */
  keepRemainder(remainder: CompactRemainder, tool: PaginatedToolName): string;
  /** The remainder under a cursor of this conversation and connection, taken out of memory. */
  takeRemainder(cursor: string): { remainder: CompactRemainder; tool: PaginatedToolName } | undefined;
  /**
   * For an approved update or delete: the record's version when the person was shown it. The write
   * is conditional on it, so a record changed since is not overwritten (412, nothing written).
   */
  precondition?: RecordVersion;
}

export type ToolExecution =
  | {
      kind: 'ok';
      output: unknown;
      objectType: string | null;
      recordIds: string[];
      rawBytes?: number;
      contextBytes?: number;
    }
  | {
      kind: 'error' | 'no_access';
      output: unknown;
      objectType: string | null;
      recordIds: string[];
      code: string;
      reason: string;
    };

/**
 * What a running call has learnt about its target, for classifying a Salesforce error it meets:
 * the object (once the input named a valid one) and whether the call addressed the object as a
 * whole (describe).
 */
export interface ToolScope {
  objectType: string | null;
  objectLevel: boolean;
}

/** One tool's work: parse its input, call Salesforce, compact the answer. Errors are thrown. */
export type ToolHandler = (
  rawInput: unknown,
  environment: ToolEnvironment,
  scope: ToolScope,
) => Promise<ToolExecution>;

/** A successful call; with the raw Salesforce answer, measured against what the model reads. */
export function okExecution(
  output: unknown,
  objectType: string | null,
  recordIds: string[],
  raw?: unknown,
): ToolExecution {
  if (raw === undefined) return { kind: 'ok', output, objectType, recordIds };
  const measured = measureCompaction(raw, output);
  return {
    kind: 'ok',
    output,
    objectType,
    recordIds,
    rawBytes: measured.rawBytes,
    contextBytes: measured.compactBytes,
  };
}

/** The allow-listed spelling of an object the model named, or a ToolInputError. */
export function canonicalObject(name: string, allowed: readonly string[], purpose: 'read' | 'write'): string {
  if (!isValidObjectName(name))
    throw new ToolInputError('invalid_object', `'${name}' is not a valid object name.`);
  const canonical = allowed.find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  if (!canonical) {
    throw new ToolInputError(
      'object_not_allowed',
      `This agent cannot ${purpose} ${name} records. Objects available: ${allowed.join(', ')}.`,
    );
  }
  return canonical;
}
