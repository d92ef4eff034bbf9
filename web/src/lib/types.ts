/** The JSON API's shapes, as the app reads them (see README "The service" and src/*\/routes.ts). */

export interface User {
  id: string;
  email: string;
  name: string;
  role: 'admin' | 'member';
  createdAt: string;
  disabledAt: string | null;
}

export interface Me {
  user: User;
  method: string;
  csrfToken: string | null;
}

export interface Group {
  id: string;
  name: string;
  createdAt: string;
  memberIds: string[];
}

export interface Connection {
  id: string;
  kind: 'personal' | 'organization';
  name: string;
  status: 'active' | 'needs_reconnect' | 'revoked' | string;
  createdBy: string;
  createdAt: string;
  salesforce: {
    orgId: string;
    userId: string;
    username: string;
    displayName: string;
    email: string | null;
    instanceUrl: string;
    loginHost: string;
  };
  lastUsedAt: string | null;
  apiUsage: { used: number; max: number; at: string } | null;
  canManage: boolean;
  shares?: { users: string[]; groups: string[]; team: boolean };
}

export interface MeetingSummary {
  id: string;
  title: string;
  startTime: string;
  endTime: string;
  source: string;
  participantCount: number;
  itemCount: number;
  participants?: string[];
  sentItemCount?: number;
}

export type ItemKind = 'insight' | 'decision' | 'next_step' | 'task';
export type SendKind = 'task' | 'event' | 'note';

export interface SendView {
  id: string;
  kind: SendKind;
  object: string;
  status: 'pending' | 'unknown' | 'succeeded' | 'failed';
  salesforceId: string | null;
  url: string | null;
  record: { type: string; id: string };
  sentBy: { id: string; name: string | null; email: string | null };
  sentAt: string;
  completedAt: string | null;
  errorCode: string | null;
}

export interface MeetingItem {
  id: string;
  kind: ItemKind;
  text: string;
  ownerEmail: string | null;
  dueDate: string | null;
  sends: SendView[];
  /** Present for meetings read through the review view (evidence, flag, review status). */
  review?: ItemReview;
}

export type ReviewStatus = 'open' | 'edited' | 'dismissed' | 'done';

/** One quote behind an item, with the transcript's own time and speaker of its line. */
export interface Evidence {
  quote: string;
  start: number | null;
  end: number | null;
  speaker: string | null;
  utteranceIndex: number;
}

export interface ItemReview {
  origin: 'summary' | 'import';
  status: ReviewStatus;
  evidence: Evidence[];
  flag: string | null;
  ownerName: string | null;
}

export interface SpeakerMatch {
  speaker: string;
  participant: { name: string; email: string } | null;
}

export interface TranscriptOutline {
  format: string;
  fileName: string | null;
  utteranceCount: number;
  speakers: SpeakerMatch[];
}

export interface MeetingSummaryRun {
  overview: string;
  model: string;
  promptVersion: string;
  createdAt: string;
  kept: number;
  flagged: number;
  dropped: number;
  droppedItems: Array<{ kind: ItemKind; text: string; reasons: string[] }>;
}

export interface Utterance {
  speaker: string | null;
  start: number | null;
  end: number | null;
  text: string;
}

export interface TranscriptPreview {
  format: string;
  utteranceCount: number;
  durationSeconds: number | null;
  startedAt: string | null;
  speakers: Array<SpeakerMatch & { matchedBy: 'email' | 'name' | 'first_name' | null; utterances: number }>;
}

export interface Meeting {
  id: string;
  title: string;
  startTime: string;
  endTime: string;
  source: string;
  participants: Array<{ name: string; email: string; internal: boolean }>;
  items: MeetingItem[];
  canShare: boolean;
  transcript?: TranscriptOutline | null;
  summary?: MeetingSummaryRun | null;
}

export type FormFieldType =
  | 'text'
  | 'combobox'
  | 'textarea'
  | 'picklist'
  | 'user'
  | 'date'
  | 'datetime'
  | 'integer';
export type FormValue = string | number | null;

export interface FormField {
  name: string;
  salesforceField: string;
  label: string;
  type: FormFieldType;
  required: boolean;
  maxLength?: number;
  options?: Array<{ value: string; label: string; default: boolean }>;
  defaultValue: FormValue;
  value: FormValue;
}

export const RECORD_TYPES = ['Lead', 'Account', 'Contact', 'Opportunity', 'Case'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

export interface SendForm {
  kind: SendKind;
  object: string;
  fields: FormField[];
  record: { name: 'record'; label: string; required: true; types: RecordType[] };
}

export interface RecordHit {
  type: RecordType;
  id: string;
  title: string;
  subtitle: string;
  reason?: string;
  preferred?: boolean;
}

export interface AuditEvent {
  id: string;
  at: string;
  actorUserId: string | null;
  connectionId: string | null;
  surface: string;
  action: string;
  outcome: string;
  errorCode: string | null;
  objectType: string | null;
  recordIds: string[];
  detail: Record<string, unknown>;
}
