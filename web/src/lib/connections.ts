import { useQuery } from '@tanstack/react-query';
import { api } from './api.ts';
import type { Connection } from './types.ts';

export function useConnections() {
  return useQuery({
    queryKey: ['connections'],
    queryFn: () => api<{ connections: Connection[] }>('/connections'),
    select: (answer) => answer.connections,
  });
}

/** Starts Salesforce's login and consent; the callback brings the browser back to `returnTo`. */
export async function startSalesforceConnection(input: {
  kind: 'personal' | 'organization';
  loginHost: 'production' | 'sandbox' | 'custom';
  myDomainUrl?: string;
  name?: string;
  returnTo: string;
}): Promise<void> {
  const answer = await api<{ authorizationUrl: string }>('/connections/oauth/start', {
    method: 'POST',
    body: input,
  });
  window.location.assign(answer.authorizationUrl);
}
