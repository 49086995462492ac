/** The step a table is in: its name, the question that applies, and the time left. */
import type { SessionView } from '../../shared/protocol';
import { useI18n } from '../i18n/I18n';
import { position, stepName } from '../lib/steps';
import { StepTimer } from './StepTimer';

export function StepHeader({ session }: { session: SessionView }) {
  const { t } = useI18n();
  const pos = position(session);
  return (
    <div className="tablet__step">
      <div className="tablet__question">
        <p className="tablet__step-name">{stepName(t, pos)}</p>
        <h1>{pos.question}</h1>
      </div>
      <StepTimer timer={pos.status === 'running' ? session.run.timer : null} />
    </div>
  );
}
