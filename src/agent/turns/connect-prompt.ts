import type { ServiceContext } from '../../platform/service-context.ts';
import type { ConnectPrompt } from './chat-events.ts';

/** What a person without a usable Salesforce connection is asked to do, and how to continue after. */
export function connectPrompt(
  service: ServiceContext,
  conversationId: string,
  reason: ConnectPrompt['reason'],
): ConnectPrompt {
  const base = (service.config.PUBLIC_URL ?? '').replace(/\/$/, '');
  const returnTo = `/chat/${encodeURIComponent(conversationId)}`;
  return {
    reason,
    message:
      reason === 'needs_reconnect'
        ? 'Your Salesforce connection needs to be renewed. Reconnect Salesforce, then continue: your message will be answered.'
        : 'Connect your Salesforce account to use this agent: it works with what your Salesforce user can see and do. Once connected, continue and your message will be answered.',
    connectUrl: `${base}/settings/integrations?connect=personal&returnTo=${encodeURIComponent(returnTo)}`,
    start: {
      method: 'POST',
      path: '/api/connections/oauth/start',
      body: { kind: 'personal', loginHost: 'production' },
    },
    resumePath: `/api/conversations/${encodeURIComponent(conversationId)}/resume`,
  };
}
