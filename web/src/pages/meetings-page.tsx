import { useQuery } from '@tanstack/react-query';
import { CalendarDays, Search, Upload, Users } from 'lucide-react';
import { useDeferredValue, useState } from 'react';
import { Link } from 'react-router';
import { ImportMeetingsDialog } from '../components/import-meetings-dialog.tsx';
import { EmptyState, ErrorBanner, LoadingBlock } from '../components/status.tsx';
import { api } from '../lib/api.ts';
import { formatDateTime } from '../lib/format.ts';
import type { MeetingSummary } from '../lib/types.ts';

export default function MeetingsPage() {
  const [search, setSearch] = useState('');
  const [importOpen, setImportOpen] = useState(false);
  const deferredSearch = useDeferredValue(search.trim().toLowerCase());
  const meetings = useQuery({
    queryKey: ['meetings'],
    queryFn: () => api<{ meetings: MeetingSummary[] }>('/meetings'),
  });
  const visible = (meetings.data?.meetings ?? []).filter(
    (meeting) =>
      deferredSearch === '' ||
      meeting.title.toLowerCase().includes(deferredSearch) ||
      (meeting.participants ?? []).some((name) => name.toLowerCase().includes(deferredSearch)),
  );

  return (
    <div className="page">
      <header className="page-header">
        <h1>Meetings</h1>
        <button type="button" className="button button-primary" onClick={() => setImportOpen(true)}>
          <Upload aria-hidden size={16} />
          Import meetings
        </button>
      </header>
      <div className="search-box">
        <Search aria-hidden size={16} />
        <input
          type="search"
          aria-label="Search meetings"
          placeholder="Search by title or participant"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
        />
      </div>
      {/* Always present, so a screen reader hears how many meetings the search leaves. */}
      <p className="visually-hidden" role="status">
        {meetings.data && deferredSearch !== ''
          ? `${visible.length} ${visible.length === 1 ? 'meeting matches' : 'meetings match'}`
          : ''}
      </p>
      {meetings.isPending ? <LoadingBlock label="Loading meetings" /> : null}
      {meetings.isError ? <ErrorBanner title="Meetings could not be loaded" error={meetings.error} /> : null}
      {meetings.data && meetings.data.meetings.length === 0 ? (
        <EmptyState icon={<CalendarDays />} title="No meetings yet">
          <p className="muted">
            Import meetings (JSON) or a transcript, then send their insights, decisions and tasks to
            Salesforce.
          </p>
          <button type="button" className="button button-primary" onClick={() => setImportOpen(true)}>
            Import meetings
          </button>
        </EmptyState>
      ) : null}
      {meetings.data && meetings.data.meetings.length > 0 && visible.length === 0 ? (
        <p className="muted">No meeting matches “{search}”.</p>
      ) : null}
      {visible.length > 0 ? (
        <ul className="meeting-list">
          {visible.map((meeting) => (
            <li key={meeting.id} className="card meeting-row">
              <Link to={`/meetings/${encodeURIComponent(meeting.id)}`} className="meeting-link">
                {meeting.title}
              </Link>
              <div className="meeting-meta">
                <span>
                  <CalendarDays aria-hidden size={14} /> {formatDateTime(meeting.startTime)}
                </span>
                <span>
                  <Users aria-hidden size={14} />{' '}
                  {meeting.participants && meeting.participants.length > 0
                    ? meeting.participants.slice(0, 4).join(', ') +
                      (meeting.participants.length > 4 ? ` +${meeting.participants.length - 4}` : '')
                    : `${meeting.participantCount} participants`}
                </span>
                <span>
                  {meeting.sentItemCount ?? 0} of {meeting.itemCount} items sent
                </span>
              </div>
            </li>
          ))}
        </ul>
      ) : null}
      <ImportMeetingsDialog open={importOpen} onOpenChange={setImportOpen} />
    </div>
  );
}
