import { CircleAlert, CircleCheck, X } from 'lucide-react';
import { Toast } from 'radix-ui';
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';

export interface ToastInput {
  title: string;
  description?: string;
  tone?: 'success' | 'error' | 'info';
  /** A link shown in the toast, e.g. **Open in Salesforce**. */
  link?: { label: string; href: string };
}

interface ToastEntry extends ToastInput {
  id: number;
}

const ToastContext = createContext<(toast: ToastInput) => void>(() => {});

export function useToast(): (toast: ToastInput) => void {
  return useContext(ToastContext);
}

/** Radix toasts: announced politely to screen readers, swipe/Escape to dismiss, F8 to focus. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<ToastEntry[]>([]);
  const show = useCallback((toast: ToastInput) => {
    setToasts((current) => [...current.slice(-3), { ...toast, id: Date.now() + Math.random() }]);
  }, []);
  const remove = useCallback((id: number) => {
    setToasts((current) => current.filter((toast) => toast.id !== id));
  }, []);
  const value = useMemo(() => show, [show]);
  return (
    <ToastContext.Provider value={value}>
      <Toast.Provider swipeDirection="right" duration={8000}>
        {children}
        {toasts.map((toast) => (
          <Toast.Root
            key={toast.id}
            className={`toast toast-${toast.tone ?? 'info'}`}
            // Links in toasts need time to be reached by keyboard.
            duration={toast.link ? 15_000 : 6000}
            onOpenChange={(open) => {
              if (!open) remove(toast.id);
            }}
          >
            {toast.tone === 'error' ? (
              <CircleAlert aria-hidden className="toast-icon" />
            ) : (
              <CircleCheck aria-hidden className="toast-icon" />
            )}
            <div className="toast-body">
              <Toast.Title className="toast-title">{toast.title}</Toast.Title>
              {toast.description ? (
                <Toast.Description className="toast-description">{toast.description}</Toast.Description>
              ) : null}
              {toast.link ? (
                <Toast.Action asChild altText={`${toast.link.label}: ${toast.link.href}`}>
                  <a className="toast-link" href={toast.link.href} target="_blank" rel="noreferrer">
                    {toast.link.label}
                  </a>
                </Toast.Action>
              ) : null}
            </div>
            <Toast.Close className="icon-button" aria-label="Dismiss notification">
              <X aria-hidden size={16} />
            </Toast.Close>
          </Toast.Root>
        ))}
        <Toast.Viewport className="toast-viewport" />
      </Toast.Provider>
    </ToastContext.Provider>
  );
}
