/** The step's time left, the same on every screen; "time is up" is unmistakable but stops nothing. */
import { formatTimeLeft, type Timer } from '../../shared/clock';
import { useI18n } from '../i18n/I18n';
import { useTimeLeft } from '../lib/serverClock';

/** `copy`: a picture of another screen's timer (the console's preview of the wall), not announced or found as the timer. */
export function StepTimer({ timer, size = 'normal', copy = false }: { timer: Timer | null; size?: 'normal' | 'large'; copy?: boolean }) {
  const { t } = useI18n();
  const left = useTimeLeft(timer);
  if (!timer || timer.durationMs === 0 || left === null) return null;
  const up = left <= 0;
  const label = up ? t.run.timeUp : timer.running ? t.run.timeLeft : t.run.paused;
  return (
    <div
      className={`step-timer step-timer--${size}${up ? ' step-timer--up' : ''}${timer.running ? '' : ' step-timer--paused'}`}
      role={copy ? undefined : 'timer'}
      aria-label={copy ? undefined : `${label}: ${formatTimeLeft(Math.max(0, left))}`}
    >
      <span className="step-timer__label">{label}</span>
      <span className="step-timer__time" data-testid={copy ? undefined : 'timer'}>
        {up ? `+${formatTimeLeft(-left).replace('-', '')}` : formatTimeLeft(left)}
      </span>
    </div>
  );
}
