import { lazy, type ReactNode, Suspense } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { AppShell } from './components/app-shell.tsx';
import { LoadingBlock } from './components/status.tsx';
import { loginPathFor, SessionProvider, useMeQuery, useUser } from './lib/session.tsx';
import { LoginPage } from './pages/login-page.tsx';
import { NotFoundPage } from './pages/not-found-page.tsx';

// Route-level code splitting: the first page only loads what it shows.
const MeetingsPage = lazy(() => import('./pages/meetings-page.tsx'));
const MeetingPage = lazy(() => import('./pages/meeting-page.tsx'));
const IntegrationsPage = lazy(() => import('./pages/integrations-page.tsx'));
const PeoplePage = lazy(() => import('./pages/people-page.tsx'));
const AuditPage = lazy(() => import('./pages/audit-page.tsx'));
const AgentsPage = lazy(() => import('./pages/agents-page.tsx'));
const AgentPage = lazy(() => import('./pages/agent-page.tsx'));
const ModelsPage = lazy(() => import('./pages/models-page.tsx'));
const ChatPage = lazy(() => import('./pages/chat-page.tsx'));

function SignedIn() {
  const me = useMeQuery();
  const location = useLocation();
  if (me.isPending) return <LoadingBlock label="Loading Forcefield" />;
  if (!me.data) return <Navigate to={loginPathFor(location)} replace />;
  return (
    <SessionProvider user={me.data.user}>
      <AppShell />
    </SessionProvider>
  );
}

/** Admin pages: members see the not-found page (the server refuses them the data anyway). */
function AdminOnly({ children }: { children: ReactNode }) {
  const user = useUser();
  return user.role === 'admin' ? children : <NotFoundPage />;
}

function Page({ children }: { children: ReactNode }) {
  return <Suspense fallback={<LoadingBlock label="Loading page" />}>{children}</Suspense>;
}

export function App() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route element={<SignedIn />}>
        <Route index element={<Navigate to="/meetings" replace />} />
        <Route
          path="meetings"
          element={
            <Page>
              <MeetingsPage />
            </Page>
          }
        />
        <Route
          path="meetings/:meetingId"
          element={
            <Page>
              <MeetingPage />
            </Page>
          }
        />
        <Route
          path="chat/:conversationId?"
          element={
            <Page>
              <ChatPage />
            </Page>
          }
        />
        <Route
          path="agents"
          element={
            <Page>
              <AgentsPage />
            </Page>
          }
        />
        {(
          [
            ['agents/new', 'setup'],
            ['agents/:agentId', 'setup'],
            ['agents/:agentId/activity', 'activity'],
          ] as const
        ).map(([path, tab]) => (
          <Route
            key={path}
            path={path}
            element={
              <Page>
                <AgentPage tab={tab} />
              </Page>
            }
          />
        ))}
        <Route
          path="settings/models"
          element={
            <AdminOnly>
              <Page>
                <ModelsPage />
              </Page>
            </AdminOnly>
          }
        />
        <Route path="settings" element={<Navigate to="/settings/integrations" replace />} />
        <Route
          path="settings/integrations"
          element={
            <Page>
              <IntegrationsPage />
            </Page>
          }
        />
        <Route
          path="people"
          element={
            <AdminOnly>
              <Page>
                <PeoplePage />
              </Page>
            </AdminOnly>
          }
        />
        <Route
          path="audit"
          element={
            <AdminOnly>
              <Page>
                <AuditPage />
              </Page>
            </AdminOnly>
          }
        />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
