import { Cloud } from 'lucide-react';
import { RadioGroup } from 'radix-ui';
import { useId, useState } from 'react';
import { Modal } from '../modal.tsx';
import { RadioGroupRoot } from '../radio-group.tsx';

/** Picks the connector to add. Salesforce is the one there is; the list leaves room for more. */
export function AddConnectorDialog({
  open,
  onOpenChange,
  onAdd,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onAdd: (connector: 'salesforce') => void;
}) {
  const [choice, setChoice] = useState<'salesforce' | ''>('salesforce');
  const id = useId();
  return (
    <Modal
      open={open}
      onOpenChange={onOpenChange}
      title="Add a connector"
      description="A connector gives the agent tools for one system, under the permissions you set."
    >
      <div className="stack">
        <RadioGroupRoot
          className="app-choices"
          aria-label="Connectors"
          value={choice}
          onValueChange={(value) => setChoice(value as 'salesforce')}
        >
          <div className="radio-option app-choice">
            <RadioGroup.Item value="salesforce" id={`${id}-salesforce`} className="radio">
              <RadioGroup.Indicator className="radio-dot" />
            </RadioGroup.Item>
            <Cloud aria-hidden className="app-choice-icon" />
            <label htmlFor={`${id}-salesforce`} className="radio-text">
              <span className="app-choice-name">Salesforce</span>
              <span className="muted">Search, read, create, update and delete records.</span>
            </label>
          </div>
        </RadioGroupRoot>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={() => onOpenChange(false)}>
            Cancel
          </button>
          <button
            type="button"
            className="button button-primary"
            disabled={choice === ''}
            onClick={() => {
              if (choice !== '') onAdd(choice);
              onOpenChange(false);
            }}
          >
            Add
          </button>
        </div>
      </div>
    </Modal>
  );
}
