/** Frames shared by the pages: the top bar, and a full-page notice with one way forward. */
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/I18n';
import { LanguageSwitch } from './LanguageSwitch';

/** Brand on the left, the page's own items after it, the language switch last. */
export function TopBar({ children, className }: { children?: ReactNode; className?: string }) {
  const { t } = useI18n();
  return (
    <header className={`topbar${className ? ` ${className}` : ''}`}>
      <span className="brand">{t.app.name}</span>
      {children}
      <LanguageSwitch />
    </header>
  );
}

export function Notice({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  const { t } = useI18n();
  return (
    <main className="page page--narrow notice">
      <h1>{title}</h1>
      {children}
      {action ?? (
        <a className="button button--primary" href="/">
          {t.common.home}
        </a>
      )}
    </main>
  );
}
