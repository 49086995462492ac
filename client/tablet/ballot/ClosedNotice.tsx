/**
 * "The vote is closed", where the voter is looking: it takes the place of the send button,
 * which sticks to the bottom of the screen, so it is in view however far the ballot was
 * scrolled. It is announced at once, and takes the focus the vanished send button had.
 */
import { useEffect, useRef } from 'react';
import { useI18n } from '../../i18n/I18n';

export function ClosedNotice({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  // Mounted when the vote closes under the voter's eyes (a ballot that was closed on arrival is not shown).
  useEffect(() => {
    ref.current?.focus({ preventScroll: true });
  }, []);
  return (
    <div ref={ref} className="notice-box ballot__closed" role="alert" tabIndex={-1}>
      <p>
        <strong>{t.ballot.closed}</strong>
      </p>
      <button type="button" className="button" onClick={onDone}>
        {t.common.back}
      </button>
    </div>
  );
}
