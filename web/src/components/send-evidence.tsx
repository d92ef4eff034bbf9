import { useId } from 'react';
import type { Evidence, FormField } from '../lib/types.ts';
import { ItemEvidence } from './item-review.tsx';

/** The form field a quote goes into: a Task's or Event's Description, a note's body. */
export function quoteField(fields: readonly FormField[]): FormField | undefined {
  return fields.find((field) => field.name === 'description' || field.name === 'body');
}

/**
 * The item's evidence in the send form, and whether its quotes (with who, when, and a link back to
 * the meeting) are appended to the Description that is sent. Off unless chosen: the transcript is
 * the customer's meeting, not Salesforce data.
 */
export function SendEvidence({
  evidence,
  field,
  include,
  onIncludeChange,
}: {
  evidence: Evidence[];
  field: FormField | undefined;
  include: boolean;
  onIncludeChange: (include: boolean) => void;
}) {
  const checkboxId = useId();
  const hintId = useId();
  if (evidence.length === 0) return null;
  return (
    <section className="send-evidence" aria-label="Evidence from the meeting">
      <p className="muted">Why this item exists, in the meeting's own words:</p>
      <ItemEvidence evidence={evidence} hasTranscript={false} />
      {field ? (
        <div className="checkbox-field">
          <input
            id={checkboxId}
            type="checkbox"
            checked={include}
            aria-describedby={hintId}
            onChange={(event) => onIncludeChange(event.target.checked)}
          />
          <label htmlFor={checkboxId}>Include the quote in the {field.label}</label>
          <p id={hintId} className="muted">
            Appended to the end of the {field.label} when you Create, with a link back to this meeting.
          </p>
        </div>
      ) : null}
    </section>
  );
}
