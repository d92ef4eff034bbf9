/** Enhanced Note content: plain text as the escaped HTML Salesforce stores, base64-encoded. */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Salesforce refuses ContentNote content with unescaped `& < > " '` in its text. */
export function escapeNoteHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character]);
}

/** Plain text as note HTML: blank-line-separated paragraphs as `<p>`, single line breaks as `<br>`. */
export function noteHtml(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '')
    .map((paragraph) => `<p>${paragraph.split('\n').map(escapeNoteHtml).join('<br>')}</p>`)
    .join('');
}

export function noteContent(text: string): string {
  return Buffer.from(noteHtml(text), 'utf8').toString('base64');
}
