import type { ReactNode } from 'react';
import { navigate } from '../lib/router';

/** A link inside the app: a real <a> (so it can be opened in a new tab), followed without a reload. */
export function NavLink({ to, className = 'button', children }: { to: string; className?: string; children: ReactNode }) {
  return (
    <a
      className={className}
      href={to}
      onClick={(e) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}
