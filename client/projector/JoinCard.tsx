/** How to join, readable from the back of the room: the URL, a QR code and the code in large type. */
import { useQrSvg } from '../components/useQrSvg';
import { useI18n } from '../i18n/I18n';

export function JoinCard({ joinUrl, joinCode, compact = false }: { joinUrl: string; joinCode: string; compact?: boolean }) {
  const { t } = useI18n();
  const svg = useQrSvg(joinUrl);
  const host = joinUrl.replace(/^https?:\/\//, '').replace(/\/j\/[A-Z0-9]+$/, '');
  return (
    <aside className={`join-card${compact ? ' join-card--compact' : ''}`} aria-label={t.projector.joinAt}>
      <p className="join-card__label">
        {t.projector.joinAt} <strong>{host}</strong>
      </p>
      {svg && (
        // The SVG comes from the qrcode library and encodes our own join URL; it holds only shapes.
        <div className="join-card__qr" role="img" aria-label={`QR: ${joinUrl}`} dangerouslySetInnerHTML={{ __html: svg }} />
      )}
      <p className="join-card__label">{t.projector.code}</p>
      <p className="join-card__code" data-testid="join-code">
        {joinCode}
      </p>
    </aside>
  );
}
