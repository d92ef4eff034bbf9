import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useEffect } from 'react';
import { useNavigate } from 'react-router';
import { ApiError, api, setCsrfToken, setUnauthorizedHandler } from './api.ts';
import type { Me, User } from './types.ts';

const SessionContext = createContext<User | null>(null);

/** Where the login page sends the person back to: a path inside the app, never another site. */
export function safeNext(next: string | null): string {
  return next && /^\/(?![/\\])/.test(next) && !next.startsWith('/login') ? next : '/meetings';
}

export function loginPathFor(location: { pathname: string; search: string }): string {
  const here = `${location.pathname}${location.search}`;
  return here === '/' || here.startsWith('/login') ? '/login' : `/login?next=${encodeURIComponent(here)}`;
}

export function useMeQuery() {
  return useQuery({
    queryKey: ['me'],
    queryFn: async () => {
      try {
        const me = await api<Me>('/me');
        setCsrfToken(me.csrfToken);
        return me;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });
}

/**
 * Keeps the signed-in person available to every page, and sends anyone whose session ended
 * (expired, logged out in another tab, disabled) to the login page, remembering where they were.
 */
export function SessionProvider({ user, children }: { user: User; children: ReactNode }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  useEffect(() => {
    setUnauthorizedHandler(() => {
      setCsrfToken(null);
      queryClient.setQueryData(['me'], null);
      navigate(loginPathFor(window.location), { replace: true });
    });
  }, [navigate, queryClient]);
  return <SessionContext.Provider value={user}>{children}</SessionContext.Provider>;
}

export function useUser(): User {
  const user = useContext(SessionContext);
  if (!user) throw new Error('useUser outside a signed-in page');
  return user;
}
