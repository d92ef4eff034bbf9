import { describe, expect, it } from 'vitest';
import { noteContent, noteHtml } from '../../../src/meetings/payloads/note-content.ts';

describe('Enhanced Note content', () => {
  it('turns text into escaped note HTML', () => {
    expect(noteHtml('First line\r\nsecond <b>line</b>\n\n\nNext paragraph')).toBe(
      '<p>First line<br>second &lt;b&gt;line&lt;/b&gt;</p><p>Next paragraph</p>',
    );
    expect(Buffer.from(noteContent("R&D's"), 'base64').toString('utf8')).toBe('<p>R&amp;D&#39;s</p>');
  });
});
