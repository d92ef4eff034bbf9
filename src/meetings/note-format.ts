/**
 * The workspace's note format (Enhanced Notes, or classic Notes as a fallback an admin chooses),
 * stored in the workspace settings and cached briefly per instance.
 */
import { auditSuccess } from '../audit/audit-success.ts';
import { type Actor, auditActorOf } from '../core/actor.ts';
import type { Store } from '../store/database.ts';
import {
  readWorkspaceSetting,
  WORKSPACE_SETTINGS,
  writeWorkspaceSetting,
} from '../store/workspace-settings.ts';
import type { NoteFormat } from './form-fields.ts';
import type { MeetingContext } from './meeting-runtime.ts';

/**
 * How long an instance trusts the note format it read: sends and forms read it on every request,
 * and an admin's switch reaches the other instances within this (this instance at once).
 */
export const NOTE_FORMAT_FRESH_MS = 5_000;

/** The note format through the instance's cache (see NOTE_FORMAT_FRESH_MS). */
export async function cachedNoteFormat(service: MeetingContext): Promise<NoteFormat> {
  const runtime = service.meetings;
  const now = service.now();
  const cached = runtime.noteFormat;
  if (cached && now - cached.readAt < NOTE_FORMAT_FRESH_MS && now >= cached.readAt) return cached.value;
  const value = await noteFormatOf(service.store);
  runtime.noteFormat = { value, readAt: now };
  return value;
}

/** Enhanced Notes unless an admin switched the workspace to classic Notes. */
export async function noteFormatOf(store: Store): Promise<NoteFormat> {
  return (await readWorkspaceSetting(store, WORKSPACE_SETTINGS.noteFormat)) === 'classic'
    ? 'classic'
    : 'enhanced';
}

export async function setNoteFormat(
  service: MeetingContext,
  actor: Actor,
  format: NoteFormat,
): Promise<void> {
  await writeWorkspaceSetting(service.store, WORKSPACE_SETTINGS.noteFormat, format, service.now());
  service.meetings.noteFormat = { value: format, readAt: service.now() };
  await auditSuccess(service.audit, auditActorOf(actor), 'meetings.settings_changed', { noteFormat: format });
}
