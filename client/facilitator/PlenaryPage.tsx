/**
 * The plenary board (`/f/<id>/plenair`): in terugkoppeling the facilitator brings the tables'
 * top points here, or picks points from one table, then merges duplicates and themes in front
 * of the room. The projector shows this board; the plenary vote and the report use it.
 */
import { useEffect, useId, useState } from 'react';
import type * as Y from 'yjs';
import { pointsMap, visiblePoints, type VisiblePoint } from '../../shared/board';
import {
  addPlenaryTheme,
  converging,
  mergePlenaryThemes,
  plenaryThemesMap,
  plenaryView,
  readPlenaryThemes,
  renamePlenaryTheme,
  sortByTables,
  THEME_LABEL_LENGTH,
} from '../../shared/plenary';
import { Events, type SessionView, type Theme } from '../../shared/protocol';
import { nanoid } from 'nanoid';
import { useI18n } from '../i18n/I18n';
import { NavLink } from '../components/NavLink';
import { ConnectionBadge, ReloadNotice } from '../components/ConnectionStatus';
import { Notice, TopBar } from '../components/Page';
import { useErrorText } from '../components/useErrorText';
import { facilitatorKey } from '../lib/storage';
import { useSessionSocket, type SessionConnection } from '../lib/useSessionSocket';
import { Board } from '../tablet/Board';
import { useTableDoc } from '../tablet/useTableDoc';
import { MissingKey } from './FacilitatorConsole';

export function PlenaryPage({ sessionId }: { sessionId: string }) {
  const key = facilitatorKey(sessionId);
  return key ? <Plenary sessionId={sessionId} secret={key} /> : <MissingKey />;
}

function Plenary({ sessionId, secret }: { sessionId: string; secret: string }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const conn = useSessionSocket(sessionId, { role: 'facilitator', key: secret });
  const board = useTableDoc(sessionId, 'plenary', `facilitator.${secret}`);
  if (conn.status === 'reload') return <ReloadNotice />;
  if (conn.status === 'refused') return <Notice title={errorText(conn.refusal?.code)} />;
  const session = conn.session;
  return (
    <div className="page">
      <TopBar>
        <NavLink to={`/f/${sessionId}`} className="button button--quiet">
          {t.plenary.back}
        </NavLink>
        <ConnectionBadge status={conn.status} />
      </TopBar>
      <main className="console plenary">
        <h1>{t.plenary.title}</h1>
        <p>{t.plenary.intro}</p>
        {!session || !board?.ready ? (
          <p>{t.common.loading}</p>
        ) : (
          <>
            <div className="plenary__tools">
              <Harvest session={session} emit={conn.emit} secret={secret} />
              <ThemeTools doc={board.doc} sessionThemes={session.themes} />
              <Converging doc={board.doc} session={session} />
            </div>
            <PlenaryBoard session={session} board={board} />
          </>
        )}
      </main>
    </div>
  );
}

/** The plenary's themes, following the document (the session's until the plenary has its own). */
function usePlenaryThemes(doc: Y.Doc, sessionThemes: Theme[]): Theme[] {
  const [themes, setThemes] = useState<Theme[]>(() => readPlenaryThemes(doc, sessionThemes));
  useEffect(() => {
    const map = plenaryThemesMap(doc);
    const update = () => setThemes(readPlenaryThemes(doc, sessionThemes));
    update();
    map.observeDeep(update);
    return () => map.unobserveDeep(update);
  }, [doc, sessionThemes]);
  return themes;
}

function PlenaryBoard({ session, board }: { session: SessionView; board: NonNullable<ReturnType<typeof useTableDoc>> }) {
  const { t } = useI18n();
  const themes = usePlenaryThemes(board.doc, session.themes);
  // After the end the board is the record: the server takes no more changes (docs/api.md).
  return (
    <Board
      table={board}
      themes={themes}
      roundId={null}
      stepId={null}
      canAdd={session.run.status !== 'ended'}
      host
      label={t.plenary.title}
      suggest
      mergeStep={session.run.stepId}
    />
  );
}

/** The plenary points raised at more than one table, most widely raised first; and sorting the list by it. */
function Converging({ doc, session }: { doc: Y.Doc; session: SessionView }) {
  const { t } = useI18n();
  const [points, setPoints] = useState(() => converging(plenaryView(doc, session.themes).points));
  const [sorted, setSorted] = useState(false);
  useEffect(() => {
    const map = pointsMap(doc);
    const update = () => setPoints(converging(plenaryView(doc, session.themes).points));
    update();
    map.observeDeep(update);
    return () => map.unobserveDeep(update);
  }, [doc, session.themes]);
  const ended = session.run.status === 'ended';
  return (
    <section className="card" aria-labelledby="converging-title">
      <h2 id="converging-title">{t.plenary.converging}</h2>
      <p className="field__hint">{t.plenary.convergingHint}</p>
      {points.length === 0 ? (
        <p>{t.plenary.convergingEmpty}</p>
      ) : (
        <ol className="converging">
          {points.map((p) => (
            <li key={p.id}>
              {p.text} <span className="converging__tables">({t.plenary.atTables(p.tables.length, session.tables)})</span>
            </li>
          ))}
        </ol>
      )}
      <button
        type="button"
        className="button"
        disabled={ended || points.length === 0}
        onClick={() => {
          sortByTables(doc);
          setSorted(true);
        }}
      >
        {t.plenary.sortByTables}
      </button>
      <p role="status" className="field__hint">
        {sorted ? t.plenary.sortedByTables : ''}
      </p>
    </section>
  );
}

function Harvest({ session, emit, secret }: { session: SessionView; emit: SessionConnection['emit']; secret: string }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [status, setStatus] = useState<string | null>(null);
  const [table, setTable] = useState<number | null>(null);
  const started = session.run.status !== 'lobby';
  const harvest = async (from: 'tops' | 'all') => {
    const res = await emit(Events.plenaryHarvest, { from });
    if (!res.ok) return setStatus(errorText(res.error.code));
    const { added, withoutTop } = res.data;
    setStatus([t.plenary.added(added), withoutTop.length > 0 ? t.plenary.withoutTop(withoutTop) : ''].filter(Boolean).join(' '));
  };
  const selectId = useId();
  return (
    <section className="card" aria-labelledby="harvest-title">
      <h2 id="harvest-title">{t.plenary.harvestTitle}</h2>
      <p className="field__hint">{t.plenary.harvestHint}</p>
      <div className="choice-row">
        <button type="button" className="button button--primary" disabled={!started} onClick={() => void harvest('tops')}>
          {t.plenary.harvestTops}
        </button>
        <button type="button" className="button" disabled={!started} onClick={() => void harvest('all')}>
          {t.plenary.harvestAll}
        </button>
      </div>
      <div className="field">
        <label htmlFor={selectId}>{t.plenary.pickFrom}</label>
        <select id={selectId} value={table ?? ''} disabled={!started} onChange={(e) => setTable(e.target.value ? Number(e.target.value) : null)}>
          <option value="">{t.plenary.pickNone}</option>
          {Array.from({ length: session.tables }, (_, i) => (
            <option key={i} value={i + 1}>
              {t.common.table(i + 1)}
            </option>
          ))}
        </select>
      </div>
      {table !== null && (
        <TablePicker
          key={table}
          session={session}
          table={table}
          secret={secret}
          onPick={async (pointIds) => {
            const res = await emit(Events.plenaryHarvest, { from: 'table', table, pointIds });
            setStatus(res.ok ? t.plenary.added(res.data.added) : errorText(res.error.code));
            return res.ok;
          }}
        />
      )}
      {status && (
        <p role="status" className="plenary__status">
          {status}
        </p>
      )}
    </section>
  );
}

/** One table's points, latest round first, read live (the facilitator's view of a table is read-only). */
function TablePicker({ session, table, secret, onPick }: { session: SessionView; table: number; secret: string; onPick: (ids: string[]) => Promise<boolean> }) {
  const { t } = useI18n();
  const doc = useTableDoc(session.id, table, `facilitator.${secret}`, false);
  const [points, setPoints] = useState<VisiblePoint[]>([]);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const roundIndex = new Map(session.agenda.rounds.map((r, i) => [r.id, i]));
  useEffect(() => {
    if (!doc) return;
    const update = () => setPoints(visiblePoints(doc.doc));
    update();
    doc.doc.on('update', update);
    return () => doc.doc.off('update', update);
  }, [doc]);
  const sorted = [...points].sort((a, b) => (roundIndex.get(b.round ?? '') ?? -1) - (roundIndex.get(a.round ?? '') ?? -1));
  const label = (id: string) => session.themes.find((th) => th.id === id)?.label ?? '';
  if (!doc?.ready) return <p>{t.common.loading}</p>;
  if (points.length === 0) return <p>{t.plenary.tableEmpty}</p>;
  return (
    <fieldset className="field plenary__pick">
      <legend>{t.plenary.pickLegend(table)}</legend>
      <ul>
        {sorted.map((p) => (
          <li key={p.id}>
            <label className="choice">
              <input
                type="checkbox"
                checked={chosen.has(p.id)}
                onChange={(e) => {
                  const next = new Set(chosen);
                  if (e.target.checked) next.add(p.id);
                  else next.delete(p.id);
                  setChosen(next);
                }}
              />
              <span>
                {p.text}{' '}
                <span className="muted">
                  ({label(p.theme)} · {t.plenary.round((roundIndex.get(p.round ?? '') ?? 0) + 1)})
                </span>
              </span>
            </label>
          </li>
        ))}
      </ul>
      <button type="button" className="button" disabled={chosen.size === 0} onClick={() => void onPick([...chosen]).then((ok) => ok && setChosen(new Set()))}>
        {t.plenary.pickAdd(chosen.size)}
      </button>
    </fieldset>
  );
}

/** Rename, add and merge the plenary's themes. */
function ThemeTools({ doc, sessionThemes }: { doc: Y.Doc; sessionThemes: Theme[] }) {
  const { t } = useI18n();
  const themes = usePlenaryThemes(doc, sessionThemes);
  const [from, setFrom] = useState('');
  const [into, setInto] = useState('');
  const [newLabel, setNewLabel] = useState('');
  const ids = { from: useId(), into: useId(), add: useId() };
  return (
    <section className="card" aria-labelledby="themes-title">
      <h2 id="themes-title">{t.plenary.themesTitle}</h2>
      <ul className="plenary__themes">
        {themes.map((th) => (
          <li key={th.id}>
            <ThemeName theme={th} onRename={(label) => renamePlenaryTheme(doc, sessionThemes, th.id, label)} />
          </li>
        ))}
      </ul>
      {themes.length > 1 && (
        <div className="plenary__merge">
          <div className="field">
            <label htmlFor={ids.from}>{t.plenary.mergeFrom}</label>
            <select id={ids.from} value={from} onChange={(e) => setFrom(e.target.value)}>
              <option value="">{t.plenary.choose}</option>
              {themes.map((th) => (
                <option key={th.id} value={th.id}>
                  {th.label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.into}>{t.plenary.mergeInto}</label>
            <select id={ids.into} value={into} onChange={(e) => setInto(e.target.value)}>
              <option value="">{t.plenary.choose}</option>
              {themes
                .filter((th) => th.id !== from)
                .map((th) => (
                  <option key={th.id} value={th.id}>
                    {th.label}
                  </option>
                ))}
            </select>
          </div>
          <button
            type="button"
            className="button"
            disabled={!from || !into || from === into}
            onClick={() => {
              mergePlenaryThemes(doc, sessionThemes, from, into);
              setFrom('');
              setInto('');
            }}
          >
            {t.plenary.mergeThemes}
          </button>
        </div>
      )}
      <form
        className="plenary__add-theme"
        onSubmit={(e) => {
          e.preventDefault();
          if (!newLabel.trim()) return;
          addPlenaryTheme(doc, sessionThemes, nanoid(10), newLabel.trim());
          setNewLabel('');
        }}
      >
        <label htmlFor={ids.add}>{t.plenary.newTheme}</label>
        <input id={ids.add} value={newLabel} maxLength={THEME_LABEL_LENGTH} onChange={(e) => setNewLabel(e.target.value)} />
        <button type="submit" className="button" disabled={!newLabel.trim()}>
          {t.plenary.addTheme}
        </button>
      </form>
    </section>
  );
}

function ThemeName({ theme, onRename }: { theme: Theme; onRename: (label: string) => void }) {
  const { t } = useI18n();
  const [label, setLabel] = useState(theme.label);
  const id = useId();
  // A rename from elsewhere replaces the draft.
  const [known, setKnown] = useState(theme.label);
  if (known !== theme.label) {
    setKnown(theme.label);
    setLabel(theme.label);
  }
  return (
    <>
      <label htmlFor={id} className="sr-only">
        {t.plenary.themeName(theme.label)}
      </label>
      <input
        id={id}
        value={label}
        maxLength={THEME_LABEL_LENGTH}
        onChange={(e) => setLabel(e.target.value)}
        onBlur={() => label.trim() && label.trim() !== theme.label && onRename(label.trim())}
      />
    </>
  );
}
