import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Check, Ellipsis, Pencil, Quote, RotateCcw, TriangleAlert, X } from 'lucide-react';
import { DropdownMenu } from 'radix-ui';
import { type FormEvent, useId, useState } from 'react';
import { api } from '../lib/api.ts';
import { evidenceSource, utteranceAnchor } from '../lib/transcripts.ts';
import type { Evidence, Meeting, MeetingItem, ReviewStatus } from '../lib/types.ts';
import { ErrorBanner } from './status.tsx';
import { jumpToUtterance } from './transcript-view.tsx';

const STATUS_BADGES: Partial<Record<ReviewStatus, { label: string; className: string }>> = {
  edited: { label: 'Edited', className: 'badge badge-muted' },
  dismissed: { label: 'Dismissed', className: 'badge badge-muted' },
  done: { label: 'Done', className: 'badge badge-success' },
};

/** The quotes behind an item, each with its speaker and time and a jump to that transcript line. */
export function ItemEvidence({ evidence, hasTranscript }: { evidence: Evidence[]; hasTranscript: boolean }) {
  if (evidence.length === 0) return null;
  return (
    <ul className="evidence" aria-label="Evidence">
      {evidence.map((entry) => (
        <li key={`${entry.utteranceIndex}:${entry.quote}`} className="evidence-quote">
          <Quote aria-hidden size={14} />
          <blockquote>“{entry.quote}”</blockquote>
          <span className="muted">
            {evidenceSource(entry)}
            {hasTranscript ? (
              <>
                {' · '}
                <a
                  href={`#${utteranceAnchor(entry.utteranceIndex)}`}
                  onClick={(event) => {
                    event.preventDefault();
                    jumpToUtterance(entry.utteranceIndex);
                  }}
                >
                  Jump to transcript
                </a>
              </>
            ) : null}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** Edited, Dismissed or Done, beside the item's text. */
export function ReviewBadge({ item }: { item: MeetingItem }) {
  const badge = item.review ? STATUS_BADGES[item.review.status] : undefined;
  return badge ? <span className={badge.className}>{badge.label}</span> : null;
}

/** Why a person should look closer: some of the item's quotes did not verify. */
export function ItemFlag({ item }: { item: MeetingItem }) {
  if (!item.review?.flag) return null;
  return (
    <p className="item-flag">
      <TriangleAlert aria-hidden size={14} /> Flagged: {item.review.flag}
    </p>
  );
}

type ReviewChange = { text?: string; ownerEmail?: string | null; dueDate?: string | null; status?: string };

/** The item's review change (edit, dismiss, mark done, reopen), saved on the server. */
export function useReviewItem(meeting: Meeting, item: MeetingItem) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (change: ReviewChange) =>
      api<{ meeting: Meeting }>(
        `/meetings/${encodeURIComponent(meeting.id)}/items/${encodeURIComponent(item.id)}`,
        { method: 'PATCH', body: change },
      ),
    onSuccess: (answer) => queryClient.setQueryData(['meeting', meeting.id], { meeting: answer.meeting }),
  });
}

/**
 * **More actions** beside Send: Edit, Dismiss and Mark done for an open item, Reopen for a dismissed
 * or done one. `describedBy` names the item, so a screen reader hears which item the menu is for.
 */
export function ItemMoreActions({
  item,
  review,
  describedBy,
  onEdit,
}: {
  item: MeetingItem;
  review: ReturnType<typeof useReviewItem>;
  describedBy: string;
  onEdit: () => void;
}) {
  const status = item.review?.status ?? 'open';
  const closed = status === 'dismissed' || status === 'done';
  const actions = closed
    ? [{ label: 'Reopen', icon: RotateCcw, run: () => review.mutate({ status: 'open' }) }]
    : [
        { label: 'Edit', icon: Pencil, run: onEdit },
        { label: 'Dismiss', icon: X, run: () => review.mutate({ status: 'dismissed' }) },
        { label: 'Mark done', icon: Check, run: () => review.mutate({ status: 'done' }) },
      ];
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger
        className="button button-small item-trigger"
        aria-label="More actions"
        aria-describedby={describedBy}
        disabled={review.isPending}
      >
        <Ellipsis aria-hidden size={16} />
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content className="menu" align="end" sideOffset={4}>
          {actions.map(({ label, icon: Icon, run }) => (
            <DropdownMenu.Item key={label} className="menu-item menu-item-icon" onSelect={run}>
              <Icon aria-hidden size={14} /> {label}
            </DropdownMenu.Item>
          ))}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}

export function ItemEditForm({
  meeting,
  item,
  onDone,
}: {
  meeting: Meeting;
  item: MeetingItem;
  onDone: () => void;
}) {
  const review = useReviewItem(meeting, item);
  const [text, setText] = useState(item.text);
  const [ownerEmail, setOwnerEmail] = useState(item.ownerEmail ?? '');
  const [dueDate, setDueDate] = useState(item.dueDate ?? '');
  const ids = { text: useId(), owner: useId(), due: useId() };

  function submit(event: FormEvent) {
    event.preventDefault();
    const change: ReviewChange = {};
    if (text.trim() !== item.text) change.text = text.trim();
    if (ownerEmail.trim() !== (item.ownerEmail ?? '')) change.ownerEmail = ownerEmail.trim() || null;
    if (dueDate !== (item.dueDate ?? '')) change.dueDate = dueDate || null;
    if (Object.keys(change).length === 0) return onDone();
    review.mutate(change, { onSuccess: onDone });
  }

  return (
    <form className="item-edit stack" onSubmit={submit} aria-label="Edit the item">
      {review.error ? <ErrorBanner title="The item was not changed" error={review.error} /> : null}
      <div className="field">
        <label htmlFor={ids.text}>Text</label>
        <textarea
          id={ids.text}
          rows={3}
          required
          maxLength={5000}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      </div>
      <div className="form-grid">
        <div className="field">
          <label htmlFor={ids.owner}>Owner email</label>
          <input
            id={ids.owner}
            type="email"
            value={ownerEmail}
            onChange={(event) => setOwnerEmail(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.due}>Due date</label>
          <input
            id={ids.due}
            type="date"
            value={dueDate}
            onChange={(event) => setDueDate(event.target.value)}
          />
        </div>
      </div>
      <div className="dialog-actions">
        <button type="button" className="button button-small" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="button button-small button-primary" disabled={review.isPending}>
          {review.isPending ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}
