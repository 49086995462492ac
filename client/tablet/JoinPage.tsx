/** `/j/CODE`, from the QR code or typed in: show the session, pick a table, get a device token. */
import { useEffect, useState } from 'react';
import type { JoinPreview } from '../../shared/protocol';
import { useI18n } from '../i18n/I18n';
import { TopBar } from '../components/Page';
import { useErrorText } from '../components/useErrorText';
import { ApiError, api } from '../lib/api';
import { navigate } from '../lib/router';
import { deviceToken } from '../lib/storage';
import { TablePicker } from './TablePicker';

export function JoinPage({ code }: { code: string }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [preview, setPreview] = useState<JoinPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    api.joinPreview(code).then(
      (p) => {
        if (!live) return;
        // A device that already joined goes straight back to its table: it is not counted twice.
        if (deviceToken.get(p.sessionId)) navigate(`/t/${p.sessionId}`, { replace: true });
        else setPreview(p);
      },
      (err: unknown) =>
        live && setError(err instanceof ApiError && err.code === 'not_found' ? 'join_not_found' : err instanceof ApiError ? err.code : 'internal'),
    );
    return () => {
      live = false;
    };
  }, [code]);

  const pick = async (table: number) => {
    if (!preview) return;
    setBusy(true);
    try {
      const res = await api.join(code);
      deviceToken.set(res.sessionId, res.deviceToken);
      navigate(`/t/${res.sessionId}?tafel=${table}`, { replace: true });
    } catch (err) {
      setError(err instanceof ApiError ? err.code : 'internal');
      setBusy(false);
    }
  };

  return (
    <div className="page">
      <TopBar />
      <main className="page--narrow tablet-join">
        {error ? (
          <>
            <h1>{t.join.title}</h1>
            <p className="error" role="alert">
              {error === 'join_not_found' ? t.join.notFound : errorText(error)}
            </p>
            <a className="button" href="/">
              {t.common.home}
            </a>
          </>
        ) : !preview ? (
          <p>{t.common.loading}</p>
        ) : (
          <>
            <h1>{preview.title}</h1>
            <p className="field__hint">{t.join.noName}</p>
            <TablePicker tables={preview.tables} onPick={pick} busy={busy} />
          </>
        )}
      </main>
    </div>
  );
}
