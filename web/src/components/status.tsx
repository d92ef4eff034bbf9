import { CircleAlert, LoaderCircle } from 'lucide-react';
import type { ReactNode } from 'react';
import { errorMessage } from '../lib/api.ts';

export function LoadingBlock({ label }: { label: string }) {
  return (
    <div className="loading-block" role="status">
      <LoaderCircle aria-hidden className="spin" />
      <span>{label}…</span>
    </div>
  );
}

export function ErrorBanner({
  error,
  title,
  children,
}: {
  error?: unknown;
  title?: string;
  children?: ReactNode;
}) {
  return (
    <div className="banner banner-error" role="alert">
      <CircleAlert aria-hidden className="banner-icon" />
      <div>
        {title ? <p className="banner-title">{title}</p> : null}
        {error !== undefined ? <p>{errorMessage(error)}</p> : null}
        {children}
      </div>
    </div>
  );
}

export function EmptyState({
  icon,
  title,
  children,
  headingLevel = 2,
}: {
  icon: ReactNode;
  title: string;
  children?: ReactNode;
  headingLevel?: 1 | 2;
}) {
  const Heading = headingLevel === 1 ? 'h1' : 'h2';
  return (
    <div className="empty-state">
      <div className="empty-icon" aria-hidden>
        {icon}
      </div>
      <Heading className="empty-title">{title}</Heading>
      {children}
    </div>
  );
}
