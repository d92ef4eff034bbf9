import { randomBytes } from 'node:crypto';
import { open, readFile, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { ExportedOrgData } from './export-org-data.ts';
import { type OrgData, parseOrgDataJson } from './org-data-format.ts';

/** Bytes gathered before each write: large files stream out without one giant string. */
const WRITE_CHUNK_CHARACTERS = 1 << 20;

/** Reads and shape-validates an org data file; errors name the file. */
export async function readOrgDataFile(file: string): Promise<OrgData> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const detail =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new Error(`Cannot read org data file ${file}: ${detail}`);
  }
  return parseOrgDataJson(text, file);
}

/**
 * The document as JSON text, in pieces: settings, users and apps indented for reading, then one
 * record per line, so a saved org diffs line by line and a million records never make one string.
 */
function* jsonChunks(data: ExportedOrgData): Generator<string> {
  const indent = (value: unknown) => JSON.stringify(value, null, 2).replace(/\n/g, '\n  ');
  const { records, ...header } = data;
  yield '{\n';
  for (const [key, value] of Object.entries(header)) yield `  ${JSON.stringify(key)}: ${indent(value)},\n`;
  yield '  "records": {';
  let firstObject = true;
  for (const [objectName, objectRecords] of Object.entries(records)) {
    yield `${firstObject ? '' : ','}\n    ${JSON.stringify(objectName)}: [`;
    firstObject = false;
    for (let index = 0; index < objectRecords.length; index++) {
      yield `${index === 0 ? '' : ','}\n      ${JSON.stringify(objectRecords[index])}`;
    }
    yield '\n    ]';
  }
  yield firstObject ? '}\n}\n' : '\n  }\n}\n';
}

/**
 * Writes an org data file atomically: into a temporary file beside it, flushed to disk, then
 * renamed over the target, so a crash mid-save leaves the previous file whole. The file holds
 * password hashes and client secrets: it keeps the target's permissions, else owner-only.
 */
export async function writeOrgDataFile(file: string, data: ExportedOrgData): Promise<void> {
  const target = path.resolve(file);
  const directory = path.dirname(target);
  const temporary = path.join(
    directory,
    `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  const mode = await stat(target).then(
    (stats) => stats.mode & 0o777,
    () => 0o600,
  );
  const handle = await open(temporary, 'wx', mode);
  try {
    let pending = '';
    for (const chunk of jsonChunks(data)) {
      pending += chunk;
      if (pending.length >= WRITE_CHUNK_CHARACTERS) {
        await handle.write(pending);
        pending = '';
      }
    }
    await handle.write(pending);
    await handle.sync();
    await handle.close();
    await rename(temporary, target);
  } catch (error) {
    await handle.close().catch(() => {});
    await unlink(temporary).catch(() => {});
    throw error;
  }
  // Make the rename itself durable; some platforms can't open a directory, and then it is best effort.
  const directoryHandle = await open(directory, 'r').catch(() => undefined);
  await directoryHandle?.sync().catch(() => {});
  await directoryHandle?.close();
}
