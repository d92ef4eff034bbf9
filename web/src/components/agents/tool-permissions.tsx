import { RadioGroup } from 'radix-ui';
import { useId } from 'react';
import {
  CONFIGURABLE_TOOLS,
  type ConfigurableTool,
  LEVEL_LABELS,
  PERMISSION_LEVELS,
  type PermissionLevel,
  TOOL_DESCRIPTIONS,
  TOOL_LABELS,
} from '../../lib/agents.ts';
import { RadioGroupRoot } from '../radio-group.tsx';

/** One radio group per Salesforce tool, named after the tool: Always allow / Needs approval / Disabled. */
export function ToolPermissions({
  permissions,
  onChange,
  readOnly,
}: {
  permissions: Record<ConfigurableTool, PermissionLevel>;
  onChange: (tool: ConfigurableTool, level: PermissionLevel) => void;
  readOnly: boolean;
}) {
  const id = useId();
  return (
    <section className="tool-permissions" aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`}>Tool permissions</h4>
      <p className="muted">
        The server checks every call. Disabled tools are not offered to the model and are refused if it calls
        them anyway.
      </p>
      <ul className="tool-list">
        {CONFIGURABLE_TOOLS.map((tool) => {
          const labelId = `${id}-${tool}`;
          return (
            <li key={tool} className="tool-row">
              <div className="tool-text">
                <span id={labelId} className="tool-name">
                  {TOOL_LABELS[tool]}
                </span>
                <span className="muted tool-description">{TOOL_DESCRIPTIONS[tool]}</span>
              </div>
              <RadioGroupRoot
                className="segmented-radio"
                aria-labelledby={labelId}
                orientation="horizontal"
                value={permissions[tool]}
                disabled={readOnly}
                onValueChange={(value) => onChange(tool, value as PermissionLevel)}
              >
                {PERMISSION_LEVELS.map((level) => (
                  <div key={level} className="segmented-option">
                    <RadioGroup.Item value={level} id={`${labelId}-${level}`} className="radio">
                      <RadioGroup.Indicator className="radio-dot" />
                    </RadioGroup.Item>
                    <label htmlFor={`${labelId}-${level}`}>{LEVEL_LABELS[level]}</label>
                  </div>
                ))}
              </RadioGroupRoot>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
