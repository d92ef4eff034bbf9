/**
 * `POST …/composite/tree/T`: creates record trees (roots of type T, children nested under their
 * child relationship names, up to 200 records, 5 types and 5 levels), all or none, as one API call.
 * Success answers 201 with every record's referenceId and new id; failure answers 400 with only the
 * records that caused it, and nothing is created.
 */
import { SalesforceApiError } from '../core/errors.ts';
import type { Org } from '../org/org.ts';
import { createRecord, resolveObject } from '../records/dml.ts';
import type { SObjectType } from '../schema/schema.ts';
import type { CollectionError } from './composite.ts';
import { isPlainObject } from './composite.ts';
import type { DataRequest, DataResponse } from './types.ts';

const MAX_TREE_RECORDS = 200;
const MAX_TREE_TYPES = 5;
const MAX_TREE_DEPTH = 5;

interface TreeNode {
  object: SObjectType;
  referenceId: string;
  fields: Record<string, unknown>;
  /** The parent's node and the lookup on this record that points at it. */
  parent?: { node: TreeNode; field: string };
  depth: number;
  id?: string;
}

interface TreeFailure {
  referenceId: string | null;
  errors: CollectionError[];
}

function failure(
  referenceId: string | null,
  statusCode: string,
  message: string,
  fields: string[] = [],
): TreeFailure {
  return { referenceId, errors: [{ statusCode, message, fields }] };
}

function failedResponse(failures: TreeFailure[]): DataResponse {
  return { status: 400, body: { hasErrors: true, results: failures } };
}

/**
 * Flattens the request's trees into nodes, breadth first (roots, then every second-level record…),
 * the order Salesforce creates them in. Problems with the request's shape are collected per record.
 */
function readTrees(org: Org, request: DataRequest, root: SObjectType, failures: TreeFailure[]): TreeNode[] {
  const body = request.body;
  if (!isPlainObject(body) || !Array.isArray(body.records)) {
    throw new SalesforceApiError(
      400,
      'JSON_PARSER_ERROR',
      'The request body must be a JSON object with a records array.',
    );
  }
  const access = org.security.forUser(request.session.userId);
  const nodes: TreeNode[] = [];
  let queue: Array<{ raw: unknown; expected: SObjectType; parent?: TreeNode['parent']; depth: number }> =
    body.records.map((raw) => ({ raw, expected: root, depth: 1 }));
  while (queue.length > 0) {
    const next: typeof queue = [];
    for (const { raw, expected, parent, depth } of queue) {
      if (!isPlainObject(raw) || !isPlainObject(raw.attributes)) {
        failures.push(
          failure(null, 'INVALID_INPUT', 'Each record needs attributes with a type and a referenceId.'),
        );
        continue;
      }
      const { type, referenceId } = raw.attributes;
      if (typeof referenceId !== 'string' || referenceId === '') {
        failures.push(failure(null, 'INVALID_INPUT', 'Each record needs a referenceId in its attributes.'));
        continue;
      }
      if (typeof type !== 'string' || access.schema.object(type)?.name !== expected.name) {
        failures.push(
          failure(
            referenceId,
            'INVALID_INPUT',
            `The record's type must be ${expected.name}, got ${String(type)}.`,
          ),
        );
        continue;
      }
      if (depth > MAX_TREE_DEPTH) {
        failures.push(
          failure(
            referenceId,
            'INVALID_INPUT',
            `sObject trees can be at most ${MAX_TREE_DEPTH} levels deep.`,
          ),
        );
        continue;
      }
      const node: TreeNode = { object: expected, referenceId, fields: {}, parent, depth };
      for (const [key, value] of Object.entries(raw)) {
        if (key === 'attributes') continue;
        const relationship = access.schema.childRelationship(expected.name, key);
        const childObject = relationship && access.schema.object(relationship.childSObject);
        if (relationship && childObject && isPlainObject(value) && Array.isArray(value.records)) {
          for (const child of value.records) {
            next.push({
              raw: child,
              expected: childObject,
              parent: { node, field: relationship.field },
              depth: depth + 1,
            });
          }
        } else {
          node.fields[key] = value;
        }
      }
      nodes.push(node);
    }
    queue = next;
  }
  return nodes;
}

function checkLimits(nodes: TreeNode[], failures: TreeFailure[]): void {
  const seen = new Map<string, TreeNode[]>();
  for (const node of nodes) seen.set(node.referenceId, [...(seen.get(node.referenceId) ?? []), node]);
  for (const [referenceId, same] of seen) {
    if (same.length < 2) continue;
    // One result per instance of the duplicate, as documented.
    for (const _node of same) {
      failures.push(
        failure(
          referenceId,
          'INVALID_INPUT',
          `Duplicate ReferenceId provided in the request: ${referenceId}`,
        ),
      );
    }
  }
}

export function handleCompositeTree(
  org: Org,
  request: DataRequest,
  params: Record<string, string>,
): DataResponse {
  const userId = request.session.userId;
  const root = resolveObject(org, params.type, org.security.forUser(userId));
  const failures: TreeFailure[] = [];
  const nodes = readTrees(org, request, root, failures);
  if (nodes.length + failures.length > MAX_TREE_RECORDS) {
    throw new SalesforceApiError(
      400,
      'EXCEEDED_ID_LIMIT',
      `record limit reached. cannot submit more than ${MAX_TREE_RECORDS} records into this call`,
    );
  }
  if (new Set(nodes.map((node) => node.object.name)).size > MAX_TREE_TYPES) {
    throw new SalesforceApiError(
      400,
      'INVALID_INPUT',
      `An sObject tree request can create records of at most ${MAX_TREE_TYPES} types.`,
    );
  }
  checkLimits(nodes, failures);
  if (failures.length > 0) return failedResponse(failures);
  try {
    org.store.transaction(() => {
      for (const node of nodes) {
        const fields = node.parent
          ? { ...node.fields, [node.parent.field]: node.parent.node.id }
          : node.fields;
        try {
          node.id = createRecord(org, userId, node.object.name, fields);
        } catch (error) {
          if (!(error instanceof SalesforceApiError)) throw error;
          failures.push({
            referenceId: node.referenceId,
            errors: error.errors.map((item) => ({
              statusCode: item.errorCode,
              message: item.message,
              fields: item.fields ?? [],
            })),
          });
          throw error; // Undoes every record created so far.
        }
      }
    });
  } catch (error) {
    if (error instanceof SalesforceApiError && failures.length > 0) return failedResponse(failures);
    throw error;
  }
  return {
    status: 201,
    body: {
      hasErrors: false,
      results: nodes.map((node) => ({ referenceId: node.referenceId, id: node.id })),
    },
  };
}
