import { readFileSync } from 'node:fs';
import { type FaultConfiguration, parseFaultConfiguration } from './fault-rule.ts';

/** Reads a `--faults` file (JSON: an array of rules, or `{ seed?, rules }`); throws a message fit for the user. */
export function loadFaultFile(path: string): FaultConfiguration {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Invalid --faults: cannot read ${path}: ${reason}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Invalid --faults: ${path} is not JSON: ${reason}`);
  }
  const parsed = parseFaultConfiguration(value);
  if (!parsed.success) throw new Error(`Invalid --faults: ${path}: ${parsed.message}`);
  return parsed.data;
}
