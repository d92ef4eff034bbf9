import { Sparkles } from 'lucide-react';
import { EmptyState } from '../components/status.tsx';

/** Chat and Agents arrive with part 2 of the web app; the API already serves them. */
export default function PlaceholderPage({ title }: { title: string }) {
  return (
    <div className="page">
      <header className="page-header">
        <h1>{title}</h1>
      </header>
      <EmptyState icon={<Sparkles />} title={`${title} is coming soon`}>
        <p className="muted">
          This part of Forcefield is available through the API today; its screens come next.
        </p>
      </EmptyState>
    </div>
  );
}
