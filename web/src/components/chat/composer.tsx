import { Send, Square } from 'lucide-react';
import { type FormEvent, type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';

/**
 * The message box: **Send** (Enter; Shift+Enter for a new line), or **Stop** while an answer
 * streams. `onSend` answers false when the message could not go (its text comes back).
 */
export function Composer({
  agentName,
  running,
  busy = false,
  focusOnMount = false,
  onSend,
  onStop,
}: {
  agentName: string | undefined;
  running: boolean;
  busy?: boolean;
  /** The first message of a new conversation was just sent from another box: keep typing here. */
  focusOnMount?: boolean;
  onSend: (text: string) => boolean | Promise<boolean>;
  onStop?: () => void;
}) {
  const id = useId();
  const [text, setText] = useState('');
  const box = useRef<HTMLTextAreaElement>(null);
  const [focusFirst] = useState(focusOnMount);
  useEffect(() => {
    if (focusFirst) box.current?.focus();
  }, [focusFirst]);

  async function submit(event?: FormEvent) {
    event?.preventDefault();
    const message = text.trim();
    if (!message || running || busy) return;
    setText('');
    if (!(await onSend(message))) setText(message);
    box.current?.focus();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    // Enter sends, Shift+Enter starts a new line, as in every chat.
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void submit();
    }
  }

  return (
    <form className="composer" onSubmit={submit}>
      <label htmlFor={`${id}-message`} className="visually-hidden">
        Message
      </label>
      <textarea
        id={`${id}-message`}
        ref={box}
        rows={2}
        maxLength={20_000}
        value={text}
        placeholder={agentName ? `Message ${agentName}` : 'Message'}
        aria-describedby={`${id}-keys`}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <span id={`${id}-keys`} className="visually-hidden">
        Enter sends; Shift+Enter starts a new line.
      </span>
      {running ? (
        <button type="button" className="button" onClick={onStop}>
          <Square aria-hidden size={16} />
          Stop
        </button>
      ) : (
        <button type="submit" className="button button-primary" disabled={!text.trim() || busy}>
          <Send aria-hidden size={16} />
          Send
        </button>
      )}
    </form>
  );
}
