import { useQuery } from '@tanstack/react-query';
import {
  CalendarDays,
  CheckCircle2,
  ChevronDown,
  CloudUpload,
  ExternalLink,
  Plug,
  Users,
} from 'lucide-react';
import { DropdownMenu } from 'radix-ui';
import { lazy, Suspense, useEffect, useId, useState } from 'react';
import { Link, useParams } from 'react-router';
import {
  ItemEditForm,
  ItemEvidence,
  ItemFlag,
  ItemMoreActions,
  ReviewBadge,
  useReviewItem,
} from '../components/item-review.tsx';
import { MeetingSummaryPanel } from '../components/meeting-summary-panel.tsx';
import { Modal } from '../components/modal.tsx';
import { EmptyState, ErrorBanner, LoadingBlock } from '../components/status.tsx';
import { TranscriptView } from '../components/transcript-view.tsx';
import { ApiError, api } from '../lib/api.ts';
import { useConnections } from '../lib/connections.ts';
import { formatDateTime, formatDateTimeRange, formatDay } from '../lib/format.ts';
import type { ItemKind, Meeting, MeetingItem, SendKind, SendView } from '../lib/types.ts';
import { NotFoundPage } from './not-found-page.tsx';

// The form loads when first opened; the meeting page stays small.
const SendFormDialog = lazy(() => import('../components/send-form-dialog.tsx'));

const SECTIONS: Array<{ kind: ItemKind; title: string }> = [
  { kind: 'insight', title: 'Insights' },
  { kind: 'decision', title: 'Decisions' },
  { kind: 'next_step', title: 'Next steps' },
  { kind: 'task', title: 'Tasks' },
];

const SEND_ACTIONS: Array<{ kind: SendKind; label: string }> = [
  { kind: 'note', label: 'Create note in Salesforce' },
  { kind: 'task', label: 'Create task in Salesforce' },
  { kind: 'event', label: 'Create event in Salesforce' },
];

export const OBJECT_LABELS: Record<string, string> = {
  Task: 'Task',
  Event: 'Event',
  ContentNote: 'Note',
  Note: 'Note',
};

const PREFERRED_CONNECTION_KEY = 'forcefield.connectionId';

/** The owner as the meeting names them (a participant's name), else their email. */
function ownerName(meeting: Meeting, email: string): string {
  const participant = meeting.participants.find((entry) => entry.email.toLowerCase() === email.toLowerCase());
  return participant?.name || email;
}

export function meetingQueryKey(meetingId: string) {
  return ['meeting', meetingId];
}

function SentBadge({ sends }: { sends: SendView[] }) {
  const created = sends.filter((send) => send.status === 'succeeded');
  const pending = sends.filter((send) => send.status === 'pending' || send.status === 'unknown');
  if (created.length === 0 && pending.length === 0) return null;
  return (
    <div className="sent">
      {created.length > 0 ? (
        <span className="badge badge-success">
          <CheckCircle2 aria-hidden size={14} /> Sent
        </span>
      ) : null}
      {pending.length > 0 ? <span className="badge badge-warning">Sending…</span> : null}
      <ul className="sent-list" aria-label="Created in Salesforce">
        {created.map((send) => (
          <li key={send.id}>
            {OBJECT_LABELS[send.object] ?? send.object} on {send.record.type}
            {send.url ? (
              <>
                {' · '}
                <a href={send.url} target="_blank" rel="noreferrer">
                  Open {OBJECT_LABELS[send.object] ?? send.object} <ExternalLink aria-hidden size={12} />
                </a>
              </>
            ) : null}
            <span className="muted"> · {formatDateTime(send.sentAt)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function ItemRow({
  meeting,
  item,
  canSend,
  onSend,
}: {
  meeting: Meeting;
  item: MeetingItem;
  canSend: boolean;
  onSend: (item: MeetingItem, kind: SendKind) => void;
}) {
  const textId = useId();
  const status = item.review?.status ?? 'open';
  const review = useReviewItem(meeting, item);
  const [editing, setEditing] = useState(false);
  const reviewable = meeting.canShare && Boolean(item.review);
  return (
    <li className={`item item-${status}`} aria-labelledby={textId}>
      <div className="item-body">
        <p id={textId} className="item-text">
          {item.text} <ReviewBadge item={item} />
        </p>
        <ItemFlag item={item} />
        <ItemEvidence evidence={item.review?.evidence ?? []} hasTranscript={Boolean(meeting.transcript)} />
        {item.ownerEmail || item.dueDate ? (
          <p className="item-meta muted">
            {item.ownerEmail ? <span>Owner {ownerName(meeting, item.ownerEmail)}</span> : null}
            {item.dueDate ? <span>Due {formatDay(item.dueDate)}</span> : null}
          </p>
        ) : null}
        <SentBadge sends={item.sends} />
        {review.error ? <ErrorBanner title="The item was not changed" error={review.error} /> : null}
        {editing ? <ItemEditForm meeting={meeting} item={item} onDone={() => setEditing(false)} /> : null}
      </div>
      <div className="item-actions">
        {canSend && status !== 'dismissed' ? (
          <DropdownMenu.Root>
            <DropdownMenu.Trigger className="button button-small send-trigger" aria-describedby={textId}>
              <CloudUpload aria-hidden size={16} />
              Send to Salesforce
              <ChevronDown aria-hidden size={14} />
            </DropdownMenu.Trigger>
            <DropdownMenu.Portal>
              <DropdownMenu.Content className="menu" align="end" sideOffset={4}>
                {SEND_ACTIONS.map((action) => (
                  <DropdownMenu.Item
                    key={action.kind}
                    className="menu-item"
                    onSelect={() => onSend(item, action.kind)}
                  >
                    {action.label}
                  </DropdownMenu.Item>
                ))}
              </DropdownMenu.Content>
            </DropdownMenu.Portal>
          </DropdownMenu.Root>
        ) : null}
        {reviewable && !editing ? (
          <ItemMoreActions item={item} review={review} describedBy={textId} onEdit={() => setEditing(true)} />
        ) : null}
      </div>
    </li>
  );
}

export default function MeetingPage() {
  const { meetingId = '' } = useParams();
  const meeting = useQuery({
    queryKey: meetingQueryKey(meetingId),
    queryFn: () => api<{ meeting: Meeting }>(`/meetings/${encodeURIComponent(meetingId)}`),
    select: (answer) => answer.meeting,
  });
  const connections = useConnections();
  const usable = (connections.data ?? []).filter((connection) => connection.status === 'active');
  const [connectionId, setConnectionId] = useState<string>(
    () => localStorage.getItem(PREFERRED_CONNECTION_KEY) ?? '',
  );
  const [sending, setSending] = useState<{ item: MeetingItem; kind: SendKind }>();
  const selectId = useId();

  // The remembered connection may be gone; fall back to the person's own Salesforce login first
  // (a record they create should be theirs), then to a shared organization connection.
  const chosen =
    usable.find((connection) => connection.id === connectionId) ??
    usable.find((connection) => connection.kind === 'personal') ??
    usable[0];
  useEffect(() => {
    if (chosen) localStorage.setItem(PREFERRED_CONNECTION_KEY, chosen.id);
  }, [chosen]);

  useEffect(() => {
    if (meeting.data) document.title = `${meeting.data.title} · Forcefield`;
    return () => {
      document.title = 'Forcefield';
    };
  }, [meeting.data]);

  if (meeting.isPending) return <LoadingBlock label="Loading meeting" />;
  if (meeting.isError) {
    if (meeting.error instanceof ApiError && meeting.error.status === 404) return <NotFoundPage />;
    return (
      <div className="page">
        <ErrorBanner title="The meeting could not be loaded" error={meeting.error} />
      </div>
    );
  }
  const data = meeting.data;
  const currentItem = sending ? data.items.find((item) => item.id === sending.item.id) : undefined;

  return (
    <div className="page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/meetings">Meetings</Link>
        <span aria-hidden> / </span>
        <span aria-current="page">{data.title}</span>
      </nav>
      <header className="page-header meeting-header">
        <div>
          <h1>{data.title}</h1>
          <p className="muted">
            <CalendarDays aria-hidden size={14} /> {formatDateTimeRange(data.startTime, data.endTime)}
          </p>
        </div>
        {usable.length > 1 ? (
          <div className="field field-inline">
            <label htmlFor={selectId}>Send with</label>
            <select
              id={selectId}
              value={chosen?.id ?? ''}
              onChange={(event) => setConnectionId(event.target.value)}
            >
              {usable.map((connection) => (
                <option key={connection.id} value={connection.id}>
                  {connection.name} ({connection.salesforce.username})
                </option>
              ))}
            </select>
          </div>
        ) : null}
      </header>

      {!connections.isPending && !chosen ? (
        <div className="banner banner-info" role="status">
          <Plug aria-hidden className="banner-icon" />
          <div>
            <p className="banner-title">Connect Salesforce to send items</p>
            <p>
              You have no active Salesforce connection.{' '}
              <Link to={`/settings/integrations?returnTo=${encodeURIComponent(`/meetings/${data.id}`)}`}>
                Add one in Settings → Integrations
              </Link>
              .
            </p>
          </div>
        </div>
      ) : null}

      <section className="card participants" aria-labelledby="participants-title">
        <h2 id="participants-title">
          <Users aria-hidden size={16} /> Participants
        </h2>
        {data.participants.length === 0 ? (
          <p className="muted">No participants recorded.</p>
        ) : (
          <ul className="chips">
            {data.participants.map((participant) => (
              <li key={participant.email} className={`chip${participant.internal ? '' : ' chip-external'}`}>
                <span className="chip-name">{participant.name}</span>
                <span className="chip-detail">
                  {participant.email} · {participant.internal ? 'your team' : 'external'}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <MeetingSummaryPanel meeting={data} />

      {/* A transcript not summarised yet: the Summary panel above already says so and what to do. */}
      {data.items.length === 0 && !(data.transcript && !data.summary) ? (
        <EmptyState icon={<CalendarDays />} title="This meeting has no summary items" />
      ) : null}
      {SECTIONS.map((section) => {
        const items = data.items.filter((item) => item.kind === section.kind);
        if (items.length === 0 && data.items.length === 0) return null;
        return (
          <section key={section.kind} className="summary-section" aria-labelledby={`section-${section.kind}`}>
            <h2 id={`section-${section.kind}`}>{section.title}</h2>
            {items.length === 0 ? (
              <p className="muted">None in this meeting.</p>
            ) : (
              <ul className="items">
                {items.map((item) => (
                  <ItemRow
                    key={item.id}
                    meeting={data}
                    item={item}
                    canSend={!connections.isPending}
                    onSend={(target, kind) => setSending({ item: target, kind })}
                  />
                ))}
              </ul>
            )}
          </section>
        );
      })}

      {data.transcript ? <TranscriptView meetingId={data.id} /> : null}

      {sending && !chosen ? (
        <Modal
          open
          onOpenChange={(open) => {
            if (!open) setSending(undefined);
          }}
          title="Connect Salesforce first"
          description="Items are sent with one of your Salesforce integrations, and you have no active one yet."
        >
          <div className="dialog-actions">
            <button type="button" className="button" onClick={() => setSending(undefined)}>
              Cancel
            </button>
            <Link
              className="button button-primary"
              to={`/settings/integrations?returnTo=${encodeURIComponent(`/meetings/${data.id}`)}`}
            >
              Go to Integrations
            </Link>
          </div>
        </Modal>
      ) : null}
      {sending && chosen ? (
        <Suspense fallback={<LoadingBlock label="Opening the form" />}>
          <SendFormDialog
            meeting={data}
            item={currentItem ?? sending.item}
            kind={sending.kind}
            connection={chosen}
            onClose={() => setSending(undefined)}
          />
        </Suspense>
      ) : null}
    </div>
  );
}
