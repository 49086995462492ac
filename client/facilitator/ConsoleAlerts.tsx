/**
 * The top of the console: tables that ask for help or are ready, handled right there, and
 * which console runs the session. Sound is off unless the facilitator turns it on.
 */
import { useEffect, useRef, useState } from 'react';
import { Events, type TableOverview } from '../../shared/protocol';
import { useI18n } from '../i18n/I18n';
import { useErrorText } from '../components/useErrorText';
import type { SessionConnection } from '../lib/useSessionSocket';

/** A short, soft tone: enough to be heard at the front, not by the room. */
function chime(): void {
  const Ctx = window.AudioContext;
  if (!Ctx) return;
  const ctx = new Ctx();
  const osc = ctx.createOscillator();
  const gain = ctx.createGain();
  osc.frequency.value = 880;
  gain.gain.setValueAtTime(0.15, ctx.currentTime);
  gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + 0.4);
  osc.connect(gain).connect(ctx.destination);
  osc.start();
  osc.stop(ctx.currentTime + 0.4);
  osc.onended = () => void ctx.close();
}

export function TableAlerts({ tables, emit }: { tables: TableOverview[] | null; emit: SessionConnection['emit'] }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [sound, setSound] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const help = (tables ?? []).filter((row) => row.help);
  const ready = (tables ?? []).filter((row) => row.ready);
  const asked = useRef(new Set<number>());

  const helpKey = help.map((row) => row.table).join(',');
  useEffect(() => {
    const now = new Set(helpKey.split(',').filter(Boolean).map(Number));
    const fresh = [...now].some((n) => !asked.current.has(n));
    asked.current = now;
    if (fresh && sound) chime();
  }, [helpKey, sound]);

  const clear = async (table: number, signal: 'help' | 'ready') => {
    const res = await emit(Events.tableClearSignal, { table, signal });
    setError(res.ok ? null : errorText(res.error.code));
  };

  return (
    <section className="alerts" aria-labelledby="alerts-title">
      <div className="alerts__head">
        <h2 id="alerts-title">{t.console.alerts}</h2>
        {tables && ready.length > 0 && <p className="alerts__count">{t.console.readyCount(ready.length, tables.length)}</p>}
        <label className="choice alerts__sound">
          <input type="checkbox" checked={sound} onChange={(e) => setSound(e.target.checked)} />
          {t.console.sound}
        </label>
      </div>
      <ul className="alerts__list" aria-live="polite">
        {help.map((row) => (
          <li key={`help-${row.table}`} className="alert alert--help">
            <span>{t.console.help(row.table)}</span>
            <button type="button" className="button button--small" onClick={() => void clear(row.table, 'help')}>
              {t.signals.clear}
            </button>
          </li>
        ))}
        {ready.map((row) => (
          <li key={`ready-${row.table}`} className="alert alert--ready">
            <span>{t.console.ready(row.table)}</span>
            <button type="button" className="button button--small" onClick={() => void clear(row.table, 'ready')}>
              {t.signals.clear}
            </button>
          </li>
        ))}
      </ul>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

function actionOf(event: string): keyof ReturnType<typeof useI18n>['t']['console']['actions'] {
  if (event.startsWith('step:') || event === 'session:start') return 'step';
  if (event.startsWith('timer:')) return 'timer';
  if (event.startsWith('vote:')) return 'vote';
  if (event.startsWith('projector:')) return 'projector';
  if (event.startsWith('table:') || event.startsWith('device:') || event.startsWith('plenary:')) return 'tables';
  return 'other';
}

/** Which console runs the session, and what another console just changed. */
export function ConsoleControlBar({ conn }: { conn: SessionConnection }) {
  const { t } = useI18n();
  const { consoles, socketId, acted } = conn;
  // The last change shows for 15 s; a newer one shows afresh.
  const [expired, setExpired] = useState<SessionConnection['acted']>(null);
  useEffect(() => {
    if (!acted) return;
    const id = window.setTimeout(() => setExpired(acted), 15_000);
    return () => window.clearTimeout(id);
  }, [acted]);
  const shownActed = acted !== expired ? acted : null;
  if (!consoles) return null;
  const controller = consoles.controller;
  const mine = controller !== null && controller === socketId;
  const other = controller !== null && !mine;
  if (consoles.consoles < 2 && !other && !shownActed) return null;
  return (
    <div className={`control-bar${other ? ' control-bar--other' : ''}`} role="status">
      {other ? <p>{t.console.otherInControl}</p> : mine ? <p>{t.console.inControl}</p> : consoles.consoles > 1 && <p>{t.console.others}</p>}
      {shownActed && <p className="control-bar__acted">{t.console.acted(t.console.actions[actionOf(shownActed.event)])}</p>}
      {!mine && consoles.consoles > 1 && (
        <button type="button" className="button button--primary" onClick={() => void conn.emit(Events.consoleTakeover, {})}>
          {t.console.takeOver}
        </button>
      )}
    </div>
  );
}
