/**
 * `forcefield meetings import <transcript>`, run in-process against a SQLite file: a transcript
 * becomes a meeting with its transcript and matched speakers; a bad file imports nothing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runMeetingsCommand } from '../../src/cli/meetings.ts';
import { openStore } from '../../src/store/database.ts';

let dataDir: string;
const saved = { DATA_DIR: process.env.DATA_DIR, DATABASE_URL: process.env.DATABASE_URL };

beforeAll(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'forcefield-cli-transcripts-'));
  process.env.DATA_DIR = dataDir;
  // This test reads SQLite; the PostgreSQL variant is the store's own tests' job.
  delete process.env.DATABASE_URL;
});

afterAll(() => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    return { code: await runMeetingsCommand(argv), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

async function transcriptCount(): Promise<number> {
  const store = openStore({ sqlitePath: path.join(dataDir, 'forcefield.db') });
  try {
    return (await store.db.selectFrom('meeting_transcripts').select('meeting_id').execute()).length;
  } finally {
    await store.close();
  }
}

describe('forcefield meetings import <transcript>', () => {
  it('imports an Otter export as a meeting with its transcript, matching speakers', async () => {
    const file = path.join(dataDir, 'Pilot call.txt');
    writeFileSync(file, 'Dana Lee  0:00\nWelcome.\n\nSofia Ibrahim  0:07\nThe budget is approved.\n');
    const result = await run([
      'import',
      file,
      '--start',
      '2027-03-01T15:00:00Z',
      '--participant',
      'Sofia Ibrahim <sofia@harborview.example>',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^imported \w+ {2}Pilot call\n/);
    expect(result.stdout).toContain(
      'otter_text, 2 utterances; speakers: Dana Lee (not matched), Sofia Ibrahim = sofia@harborview.example',
    );
    expect(await transcriptCount()).toBe(1);
  });

  it('names the line of a broken transcript and imports nothing', async () => {
    const file = path.join(dataDir, 'broken.vtt');
    writeFileSync(file, 'WEBVTT\n\n00:00:01.000 --> soon\nDana: hi\n');
    const result = await run(['import', file, '--start', '2027-03-01T15:00:00Z']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'broken.vtt: Nothing was imported: broken.vtt: line 3: malformed cue timing',
    );
    expect(await transcriptCount()).toBe(1);
  });

  it('refuses a participant it cannot read', async () => {
    const file = path.join(dataDir, 'notes.txt');
    writeFileSync(file, 'Dana: hi\n');
    const result = await run(['import', file, '--start', '2027-03-01T15:00:00Z', '--participant', 'Dana']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('write it as "Name <email>"');
  });
});
