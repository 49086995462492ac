/**
 * What the connection the laptop runs gives the room, said honestly: plain HTTP works with no
 * setup but a tablet cannot reopen the app without Wi-Fi nor keep its screen on; the secure
 * mode can, once each tablet trusts the laptop's certificate (a QR code to its instructions).
 */
import { useEffect, useState } from 'react';
import type { ConnectionMode } from '../../shared/connectionMode';
import { useI18n } from '../i18n/I18n';
import { api } from '../lib/api';
import { useQrSvg } from '../components/useQrSvg';

export function ConnectionModePanel() {
  const { t } = useI18n();
  const m = t.connectionMode;
  const [mode, setMode] = useState<ConnectionMode | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let live = true;
    api.connectionMode().then(
      (value) => live && setMode(value),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, []);

  return (
    <section className="card connection-mode" aria-labelledby="connection-mode-title">
      <h2 id="connection-mode-title">{m.title}</h2>
      {failed && <p className="error">{m.loadFailed}</p>}
      {!mode && !failed && <p>{t.common.loading}</p>}
      {mode?.mode === 'http' && (
        <>
          <h3 className="connection-mode__mode">{m.httpTitle}</h3>
          <Facts title={m.gives} items={m.httpGives} kind="yes" />
          <Facts title={m.lacks} items={m.httpLacks} kind="no" />
          <p className="field__hint">{m.httpSwitch}</p>
        </>
      )}
      {mode?.mode === 'https' && (
        <>
          <h3 className="connection-mode__mode">{m.httpsTitle}</h3>
          <Facts title={m.gives} items={m.httpsGives} kind="yes" />
          <Facts title={m.costs} items={m.httpsCosts} kind="ask" />
          {mode.trustPage && <TrustCode url={mode.trustPage} fingerprint={mode.caFingerprint} />}
        </>
      )}
    </section>
  );
}

function Facts({ title, items, kind }: { title: string; items: readonly string[]; kind: 'yes' | 'no' | 'ask' }) {
  return (
    <div className={`connection-mode__facts connection-mode__facts--${kind}`}>
      <h4>{title}</h4>
      <ul>
        {items.map((item) => (
          <li key={item}>{item}</li>
        ))}
      </ul>
    </div>
  );
}

function TrustCode({ url, fingerprint }: { url: string; fingerprint: string | null }) {
  const { t } = useI18n();
  const m = t.connectionMode;
  const svg = useQrSvg(url);
  return (
    <div className="connection-mode__trust">
      <h4>{m.trustTitle}</h4>
      <div className="connection-mode__trust-row">
        {svg && (
          // The SVG comes from the qrcode library and encodes our own trust page URL; it holds only shapes.
          <div className="connection-mode__qr" role="img" aria-label={m.qrLabel} dangerouslySetInnerHTML={{ __html: svg }} />
        )}
        <div>
          <p>{m.trustHint}</p>
          <p>
            <a href={url} target="_blank" rel="noreferrer" className="connection-mode__link">
              {url}
            </a>
          </p>
          {fingerprint && (
            <p className="field__hint">
              {m.fingerprint}
              <br />
              <code className="connection-mode__fingerprint">{fingerprint}</code>
            </p>
          )}
        </div>
      </div>
    </div>
  );
}
