/** Links for the other people in the room: observers, and the host of each table. */
import { useState } from 'react';
import { Events, type HostLink } from '../../shared/protocol';
import { useI18n } from '../i18n/I18n';
import { CopyField } from '../components/CopyField';
import { useErrorText } from '../components/useErrorText';
import type { SessionConnection } from '../lib/useSessionSocket';

/** `joinUrl` is on the address the room can reach (PUBLIC_URL or the laptop's LAN address); the observer link uses it too. */
export function RolesPanel({ sessionId, joinUrl, emit }: { sessionId: string; joinUrl: string; emit: SessionConnection['emit'] }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [hosts, setHosts] = useState<HostLink[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = async () => {
    const res = await emit(Events.hostLinks, {});
    if (res.ok) setHosts(res.data);
    else setError(errorText(res.error.code));
  };
  return (
    <section className="card" aria-labelledby="roles-title">
      <h2 id="roles-title">{t.roles.title}</h2>
      <CopyField label={t.roles.observer} hint={t.roles.observerHint} value={`${new URL(joinUrl).origin}/o/${sessionId}`} />
      <h3>{t.roles.hosts}</h3>
      <p className="field__hint">{t.roles.hostsHint}</p>
      {hosts ? (
        hosts.map((h) => <CopyField key={h.table} label={t.common.table(h.table)} value={h.url} />)
      ) : (
        <button type="button" className="button" onClick={load}>
          {t.roles.showHosts}
        </button>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
