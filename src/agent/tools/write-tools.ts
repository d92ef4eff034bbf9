import { toolInputSchemas, WRITABLE_OBJECTS } from './tool-catalog.ts';
import { canonicalObject, okExecution, type ToolHandler } from './tool-execution.ts';

/** The tools that change Salesforce records: create, update and delete one record. */

/** Writes are audited once, by the dispatcher, with the agent, conversation and tool. */
const AUDITED_BY_DISPATCHER = {
  kind: 'audited-by-caller',
  action: 'agent.tool_call',
} as const;

const createRecord: ToolHandler = async (rawInput, environment, scope) => {
  const input = toolInputSchemas.create_record.parse(rawInput);
  const objectType = canonicalObject(input.objectType, WRITABLE_OBJECTS, 'write');
  scope.objectType = objectType;
  const saved = await environment.client.create(objectType, input.fields, AUDITED_BY_DISPATCHER);
  return okExecution({ ok: true, id: saved.id }, objectType, [saved.id]);
};

const updateRecord: ToolHandler = async (rawInput, environment, scope) => {
  const input = toolInputSchemas.update_record.parse(rawInput);
  const objectType = canonicalObject(input.objectType, WRITABLE_OBJECTS, 'write');
  scope.objectType = objectType;
  await environment.client.update(objectType, input.id, input.fields, AUDITED_BY_DISPATCHER, {
    ...(environment.precondition ? { precondition: environment.precondition } : {}),
  });
  return okExecution({ ok: true, id: input.id, updatedFields: Object.keys(input.fields) }, objectType, [
    input.id,
  ]);
};

const deleteRecord: ToolHandler = async (rawInput, environment, scope) => {
  const input = toolInputSchemas.delete_record.parse(rawInput);
  const objectType = canonicalObject(input.objectType, WRITABLE_OBJECTS, 'write');
  scope.objectType = objectType;
  await environment.client.delete(objectType, input.id, AUDITED_BY_DISPATCHER, {
    ...(environment.precondition ? { precondition: environment.precondition } : {}),
  });
  return okExecution({ ok: true, id: input.id, deleted: true }, objectType, [input.id]);
};

export const writeToolHandlers = {
  create_record: createRecord,
  update_record: updateRecord,
  delete_record: deleteRecord,
} satisfies Record<string, ToolHandler>;
