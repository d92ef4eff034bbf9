import Markdown from 'react-markdown';
import remarkGfm from 'remark-gfm';

/** The model's Markdown: no raw HTML (react-markdown leaves it out), links open in a new tab. */
export function MarkdownText({ text }: { text: string }) {
  return (
    <div className="markdown">
      <Markdown
        remarkPlugins={[remarkGfm]}
        components={{
          a: ({ href, children }) => (
            <a href={href} target="_blank" rel="noreferrer">
              {children}
            </a>
          ),
        }}
      >
        {text}
      </Markdown>
    </div>
  );
}
