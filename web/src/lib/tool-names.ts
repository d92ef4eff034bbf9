import { TOOL_LABELS } from './agents.ts';

/** A tool's name as people read it ("Create records"); a name the model made up stays as it is. */
export function toolName(tool: string): string {
  if (tool === 'next_page') return 'Next page';
  return TOOL_LABELS[tool as keyof typeof TOOL_LABELS] ?? tool;
}
