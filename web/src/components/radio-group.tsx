import { RadioGroup } from 'radix-ui';
import type { ComponentProps } from 'react';

/**
 * Radix's radio group where selection always follows focus, as an ARIA radio group's arrow keys
 * require. Radix checks a radio on arrow-key focus only while the key is still held: it moves the
 * focus in a timer, so a quick press (keyboard automation, some assistive technology, a fast typist)
 * moved the focus to a radio without checking it, and the form went on with the old value.
 */
export function RadioGroupRoot({ onFocus, ...props }: ComponentProps<typeof RadioGroup.Root>) {
  return (
    <RadioGroup.Root
      {...props}
      onFocus={(event) => {
        onFocus?.(event);
        const target = event.target;
        // Only once something is chosen: Tab into a group with no choice focuses without checking.
        if (props.disabled || !props.value || target.getAttribute('role') !== 'radio') return;
        const next = target.getAttribute('value');
        if (next !== null && next !== props.value && !target.hasAttribute('disabled')) {
          props.onValueChange?.(next);
        }
      }}
    />
  );
}
