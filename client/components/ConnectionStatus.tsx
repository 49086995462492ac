import { useI18n } from '../i18n/I18n';
import type { ConnectionStatus as Status } from '../lib/useSessionSocket';
import { Notice } from './Page';

/** A small, always-visible badge; offline is also announced to screen readers. */
export function ConnectionBadge({ status }: { status: Status }) {
  const { t } = useI18n();
  const text = status === 'online' ? t.connection.online : status === 'offline' ? t.connection.offline : t.connection.connecting;
  return (
    <span className={`badge badge--${status === 'online' ? 'ok' : status === 'offline' ? 'warn' : 'neutral'}`} role="status">
      <span className="badge__dot" aria-hidden="true" />
      {text}
    </span>
  );
}

/** Full-page notice when this page's code is older than the server's protocol. */
export function ReloadNotice() {
  const { t } = useI18n();
  return (
    <Notice
      title={t.connection.reloadTitle}
      action={
        <button type="button" className="button button--primary" onClick={() => window.location.reload()}>
          {t.connection.reload}
        </button>
      }
    >
      <p>{t.connection.reloadText}</p>
    </Notice>
  );
}
