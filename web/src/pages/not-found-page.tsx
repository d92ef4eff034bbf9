import { Compass } from 'lucide-react';
import { Link } from 'react-router';
import { EmptyState } from '../components/status.tsx';

export function NotFoundPage() {
  return (
    <div className="page">
      <EmptyState icon={<Compass />} title="Page not found" headingLevel={1}>
        <p className="muted">There is nothing at this address, or you do not have access to it.</p>
        <Link className="button button-primary" to="/meetings">
          Go to your meetings
        </Link>
      </EmptyState>
    </div>
  );
}
