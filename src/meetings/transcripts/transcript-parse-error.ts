/**
 * A transcript that cannot be read: the message names the line (1-based, as editors count) or the
 * JSON path, so a person can open the file and fix it.
 */
export class TranscriptParseError extends Error {
  readonly line: number | null;
  readonly path: string | null;

  constructor(message: string, where: { line?: number; path?: string } = {}) {
    const prefix = where.line !== undefined ? `line ${where.line}: ` : where.path ? `${where.path}: ` : '';
    super(`${prefix}${message}`);
    this.name = 'TranscriptParseError';
    this.line = where.line ?? null;
    this.path = where.path ?? null;
  }
}
