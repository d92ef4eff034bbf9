import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { findUserByEmail } from '../accounts/users.ts';
import { AuditLog } from '../audit/audit-log.ts';
import { loadConfig } from '../core/config.ts';
import { storeImportedMeetings } from '../meetings/import-meetings.ts';
import { parseMeetingImportFile } from '../meetings/meeting-format.ts';
import { openConfiguredStore } from '../store/configured-store.ts';
import { migrate } from '../store/database.ts';
import { importTranscriptCommand, isMeetingFormat } from './transcript-import-command.ts';

export const MEETINGS_USAGE = `Usage: forcefield meetings import <file> [--as <email>] [transcript options]

Imports meetings into the configured database. A .json file in the format of
docs/meeting.schema.json holds one meeting, or { "meetings": [ … ] }. Any other file is read as a
transcript (WebVTT, SRT, plain "Name: text", Otter text, Fireflies JSON, Google Meet entries) and
becomes one meeting with its transcript. The whole file is checked first; nothing is imported when
anything in it is invalid.

Options:
  --as <email>          record this workspace user as the meetings' creator (they then see them
                        even when they are not a participant); default: no creator
Transcript options:
  --title <text>        the meeting title (default: the file name)
  --start <iso>         when the meeting started (required unless the transcript has clock times)
  --end <iso>           when it ended (default: start plus the transcript's length)
  --participant "Name <email>"   a participant (repeat); internal when they share --as's domain
  --format <format>     webvtt, srt, plain_text, otter_text, fireflies_json or google_meet_json
                        (default: detected from the content)
`;

class UsageError extends Error {}

/** `forcefield meetings …` */
export async function runMeetingsCommand(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'import':
        return await importCommand(rest);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(MEETINGS_USAGE);
        return 0;
      default:
        throw new UsageError(`unknown meetings command '${command}'`);
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof TypeError) {
      process.stderr.write(`forcefield meetings: ${error.message}\n\n${MEETINGS_USAGE}`);
      return 2;
    }
    throw error;
  }
}

async function importCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      as: { type: 'string' },
      title: { type: 'string' },
      start: { type: 'string' },
      end: { type: 'string' },
      participant: { type: 'string', multiple: true },
      format: { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new UsageError('give exactly one file to import');
  const [file] = positionals;
  let input: unknown;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
    input = isMeetingFormat(text) ? JSON.parse(text) : undefined;
  } catch (error) {
    process.stderr.write(
      `forcefield meetings: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 1;
  }
  if (input === undefined) return await importTranscriptCommand(file, text, values);
  const parsed = parseMeetingImportFile(input);
  if (!parsed.ok) {
    for (const problem of parsed.errors) {
      process.stderr.write(
        `${file}: ${problem.path === '' ? '(document)' : problem.path}: ${problem.message}\n`,
      );
    }
    process.stderr.write(`forcefield meetings: nothing imported (${parsed.errors.length} problem(s))\n`);
    return 1;
  }
  const config = loadConfig();
  const store = openConfiguredStore(config);
  try {
    await migrate(store);
    let createdBy: string | null = null;
    if (values.as !== undefined) {
      const user = await findUserByEmail(store, values.as);
      if (!user) {
        process.stderr.write(`forcefield meetings: no workspace user with the email ${values.as}\n`);
        return 1;
      }
      createdBy = user.id;
    }
    const ids = await storeImportedMeetings(
      { store, audit: new AuditLog(store), now: Date.now },
      { userId: createdBy, surface: 'cli' },
      parsed.value,
    );
    for (const [index, id] of ids.entries()) {
      process.stdout.write(`imported ${id}  ${parsed.value[index].title}\n`);
    }
    return 0;
  } finally {
    await store.close();
  }
}
