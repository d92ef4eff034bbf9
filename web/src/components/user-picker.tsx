import { Command } from 'cmdk';
import { Check, ChevronsUpDown } from 'lucide-react';
import { Popover } from 'radix-ui';
import { useState } from 'react';

export interface PickerOption {
  value: string;
  label: string;
}

/**
 * A searchable single choice (the responsible user among the org's active users): a combobox
 * button that opens a filterable listbox. Arrow keys, Enter and Escape work as in a native select.
 */
export function UserPicker({
  id,
  labelId,
  options,
  value,
  onChange,
  invalid,
  describedBy,
  required,
}: {
  id: string;
  labelId: string;
  options: PickerOption[];
  value: string;
  onChange: (value: string) => void;
  invalid?: boolean;
  describedBy?: string;
  required?: boolean;
}) {
  const [open, setOpen] = useState(false);
  const selected = options.find((option) => option.value === value);
  return (
    <Popover.Root open={open} onOpenChange={setOpen}>
      <Popover.Trigger asChild>
        <button
          id={id}
          type="button"
          role="combobox"
          aria-expanded={open}
          aria-haspopup="listbox"
          aria-labelledby={labelId}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
          aria-required={required || undefined}
          className="picker-trigger"
        >
          <span>{selected ? selected.label : 'Choose a user'}</span>
          <ChevronsUpDown aria-hidden size={14} />
        </button>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content className="popover picker-popover" align="start" sideOffset={4}>
          <Command label="Search users" loop>
            <Command.Input className="picker-search" placeholder="Search users…" />
            <Command.List className="picker-list">
              <Command.Empty className="picker-empty">No active user matches.</Command.Empty>
              {options.map((option) => (
                <Command.Item
                  key={option.value}
                  value={`${option.label} ${option.value}`}
                  className="picker-item"
                  onSelect={() => {
                    onChange(option.value);
                    setOpen(false);
                  }}
                >
                  <Check aria-hidden size={14} className={option.value === value ? '' : 'invisible'} />
                  {option.label}
                </Command.Item>
              ))}
            </Command.List>
          </Command>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
