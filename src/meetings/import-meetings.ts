import type { AuditActor } from '../core/actor.ts';
import { ServiceError } from '../core/errors.ts';
import type { ServiceContext } from '../platform/service-context.ts';
import { type Meeting, parseMeetingImportFile } from './meeting-format.ts';
import { insertMeetings } from './meeting-store.ts';

/**
 * Imports a meeting file (one meeting or `{ meetings: [...] }`) as the web app's Import dialog and
 * `forcefield meetings import` read it: every problem is reported by path, and nothing is stored
 * unless the whole file is valid. Audited as `meeting.imported`.
 */
export async function importMeetings(
  service: Pick<ServiceContext, 'store' | 'audit' | 'now'>,
  by: AuditActor,
  file: unknown,
): Promise<{ meetings: Array<{ id: string; title: string }> }> {
  const parsed = parseMeetingImportFile(file);
  if (!parsed.ok) {
    const count = parsed.errors.length;
    throw new ServiceError(
      400,
      'invalid_meetings',
      `Nothing was imported: the file has ${count} ${count === 1 ? 'problem' : 'problems'}.`,
      { errors: parsed.errors },
    );
  }
  const ids = await storeImportedMeetings(service, by, parsed.value);
  return { meetings: ids.map((id, index) => ({ id, title: parsed.value[index].title })) };
}

/**
 * Stores meetings read from an import file, all or none, and audits `meeting.imported` (the CLI
 * validates the file first to print each problem by path, then stores through here). A null
 * `by.userId` is the operator's CLI without `--as`.
 */
export async function storeImportedMeetings(
  service: Pick<ServiceContext, 'store' | 'audit' | 'now'>,
  by: AuditActor,
  meetings: Meeting[],
): Promise<string[]> {
  const ids = await insertMeetings(service.store, meetings, {
    createdBy: by.userId,
    source: 'import',
    now: service.now(),
  });
  await service.audit.record({
    actorUserId: by.userId,
    surface: by.surface,
    action: 'meeting.imported',
    outcome: 'success',
    detail: { meetings: ids.length, meetingIds: ids.join(',').slice(0, 1000) },
  });
  return ids;
}
