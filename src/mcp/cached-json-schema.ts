import type { StandardSchemaWithJSON } from '@modelcontextprotocol/server';

type JsonSchemaOptions = Parameters<StandardSchemaWithJSON['~standard']['jsonSchema']['input']>[0];

/**
 * The same schema, with its JSON Schema conversion done once per process instead of once per
 * server instance. The stateless revision builds a server per request, and the SDK converts a
 * tool's input schema on every tools/call (its header checks) and every tools/list: converting a
 * zod schema each time was a measurable share of a call. Validation is the schema's own. The
 * converted JSON is deeply frozen and handed out as it is: nothing can change the cached one (a
 * write would throw), and no call pays for a copy (a structuredClone per conversion was ≈ 5% of
 * the service's CPU for a tools/call).
 */
export function cachedJsonSchema<Schema extends StandardSchemaWithJSON>(schema: Schema): Schema {
  const standard = schema['~standard'];
  const converted = new Map<string, Record<string, unknown>>();
  const convert = (io: 'input' | 'output') => (options: JsonSchemaOptions) => {
    const key = `${io} ${options.target}`;
    let json = converted.get(key);
    if (!json) {
      json = deepFreeze(standard.jsonSchema[io](options));
      converted.set(key, json);
    }
    return json;
  };
  return {
    '~standard': { ...standard, jsonSchema: { input: convert('input'), output: convert('output') } },
  } as unknown as Schema;
}

function deepFreeze<Value>(value: Value): Value {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
