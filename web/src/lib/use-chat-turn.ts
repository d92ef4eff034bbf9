import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useRef, useState } from 'react';
import { api, errorMessage } from './api.ts';
import { streamTurn } from './chat-stream.ts';
import type {
  ApprovalRequest,
  ChatEvent,
  ChatStep,
  ConnectPrompt,
  ConversationDetail,
} from './chat-types.ts';

/** What the turn in progress has streamed so far (cleared when the stored conversation has it). */
export interface LiveTurn {
  /** How many stored messages there were when the turn began: later ones are shown live until it ends. */
  storedBefore: number;
  userText: string | null;
  text: string;
  steps: ChatStep[];
  approvals: ApprovalRequest[];
  connect: ConnectPrompt | null;
  notices: Array<{ code: string; message: string; error: boolean }>;
}

const EMPTY: LiveTurn = {
  storedBefore: 0,
  userText: null,
  text: '',
  steps: [],
  approvals: [],
  connect: null,
  notices: [],
};

function apply(turn: LiveTurn, event: ChatEvent): LiveTurn {
  switch (event.type) {
    case 'text':
      return { ...turn, text: turn.text + event.delta };
    case 'step': {
      const others = turn.steps.filter((step) => step.id !== event.step.id);
      const index = turn.steps.findIndex((step) => step.id === event.step.id);
      if (index === -1) return { ...turn, steps: [...others, event.step] };
      const steps = [...turn.steps];
      steps[index] = event.step;
      return { ...turn, steps };
    }
    case 'approval':
      return { ...turn, approvals: [...turn.approvals, event.approval] };
    case 'connect':
      return { ...turn, connect: event.connect };
    case 'notice':
    case 'error':
      return {
        ...turn,
        notices: [
          ...turn.notices,
          { code: event.code, message: event.message, error: event.type === 'error' },
        ],
      };
    default:
      return turn;
  }
}

/**
 * Runs turns of one conversation: a message, a resume after connecting, or a decision. Streams
 * the answer into `live`, and reloads the stored conversation when the turn ends or is stopped.
 */
export function useChatTurn(conversationId: string | undefined) {
  const queryClient = useQueryClient();
  const [live, setLive] = useState<LiveTurn>(EMPTY);
  const [running, setRunning] = useState(false);
  const [failure, setFailure] = useState<{ message: string; retry: () => void } | null>(null);
  const controller = useRef<AbortController | null>(null);

  const run = useCallback(
    async (path: string, body: unknown, userText: string | null, targetId = conversationId) => {
      if (!targetId) return;
      const abort = new AbortController();
      controller.current = abort;
      setFailure(null);
      setRunning(true);
      const stored = queryClient.getQueryData<ConversationDetail>(['conversation', targetId]);
      setLive({ ...EMPTY, userText, storedBefore: stored?.messages.length ?? 0 });
      const retry = () => void run(path, body, userText, targetId);
      const errors: string[] = [];
      try {
        await streamTurn(
          `/conversations/${encodeURIComponent(targetId)}${path}`,
          body,
          (event) => {
            if (event.type === 'error') errors.push(event.message);
            setLive((turn) => apply(turn, event));
          },
          abort.signal,
        );
        // An error inside the stream (the model or Salesforce failed) keeps its words after the turn ends.
        if (errors.length > 0) setFailure({ message: errors.join(' '), retry });
        else if (abort.signal.aborted)
          setFailure({ message: 'Stopped. A step already running finishes on the server.', retry });
      } catch (error) {
        setFailure({ message: errorMessage(error), retry });
      } finally {
        controller.current = null;
        // The stored answer replaces the streamed one in the same render: never both, never neither.
        const fresh = await api<ConversationDetail>(`/conversations/${encodeURIComponent(targetId)}`).catch(
          () => undefined,
        );
        if (fresh) queryClient.setQueryData(['conversation', targetId], fresh);
        else void queryClient.invalidateQueries({ queryKey: ['conversation', targetId] });
        setRunning(false);
        setLive(EMPTY);
        void queryClient.invalidateQueries({ queryKey: ['conversations'] });
      }
    },
    [conversationId, queryClient],
  );

  return {
    live,
    running,
    failure,
    dismissFailure: () => setFailure(null),
    send: (text: string, targetId?: string) => run('/messages', { text }, text, targetId),
    resume: () => run('/resume', undefined, null),
    decide: (approval: ApprovalRequest, decision: 'approve' | 'reject', reason: string) =>
      run(
        `/approvals/${encodeURIComponent(approval.approvalId)}`,
        {
          decision,
          inputHash: approval.inputHash,
          ...(reason ? { reason } : {}),
        },
        null,
      ),
    stop: () => controller.current?.abort(),
  };
}
