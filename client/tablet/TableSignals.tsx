/** "Wij zijn klaar" and "hulp vragen": the table's two calls to the front of the room. */
import { Events, type DeviceState, type TableSignalKind } from '../../shared/protocol';
import { useI18n } from '../i18n/I18n';
import type { SessionConnection } from '../lib/useSessionSocket';

export function TableSignals({ signals, emit }: { signals: DeviceState['signals']; emit: SessionConnection['emit'] }) {
  const { t } = useI18n();
  const toggle = (signal: TableSignalKind, on: boolean) => void emit(Events.tableSignal, { signal, on });
  return (
    <div className="table-signals">
      <button
        type="button"
        className={`button${signals.ready ? ' button--done' : ''}`}
        aria-pressed={signals.ready}
        onClick={() => toggle('ready', !signals.ready)}
      >
        {signals.ready ? `✓ ${t.signals.readyOn}` : t.signals.ready}
      </button>
      <button
        type="button"
        className={`button${signals.help ? ' button--done' : ''}`}
        aria-pressed={signals.help}
        onClick={() => toggle('help', !signals.help)}
      >
        {signals.help ? t.signals.helpOn : t.signals.help}
      </button>
      {signals.help && (
        <p className="table-signals__note" role="status">
          {t.signals.helpSent}
        </p>
      )}
    </div>
  );
}
