/**
 * The table's board: a column per theme, points added with one tap and edited in place. It
 * shows the current round's points; earlier rounds at this table stay readable below. A table
 * host also sees hidden points and can hide or show them.
 */
import { nanoid } from 'nanoid';
import { useCallback, useEffect, useId, useState } from 'react';
import * as Y from 'yjs';
import {
  addCluster,
  addPoint,
  CLUSTER_LABEL_LENGTH,
  clustersMap,
  mergePoint,
  mergeRoot,
  movePoint,
  pointsMap,
  readClusters,
  readPoints,
  renameCluster,
  unmergePoint,
  type ClusterData,
  type PointData,
} from '../../shared/board';
import { LIMITS, type Theme } from '../../shared/protocol';
import { useI18n } from '../i18n/I18n';
import type { Awareness } from 'y-protocols/awareness';
import { DuplicateSuggestions } from './DuplicateSuggestions';
import { PointCard } from './PointCard';
import type { TableDoc } from './useTableDoc';

/** The board's structure; text changes do not re-render it (each card binds its own text). */
export function usePoints(doc: Y.Doc): PointData[] {
  const [points, setPoints] = useState<PointData[]>([]);
  useEffect(() => {
    const map = pointsMap(doc);
    let signature = '';
    const update = () => {
      const next = readPoints(doc);
      // Emptiness matters to the card (its remove button); other text changes do not.
      // Merged duplicates show their text on the point they joined, so those texts count too.
      const sig = JSON.stringify(next.map((p) => [p.id, p.theme, p.round, p.hidden, p.order, p.mergedInto, p.mergedInto ? p.text : p.text.trim() === '']));
      if (sig !== signature) {
        signature = sig;
        setPoints(next);
      }
    };
    update();
    map.observeDeep(update);
    return () => map.unobserveDeep(update);
  }, [doc]);
  return points;
}

/** The table's sub-themes, following the document. */
function useClusters(doc: Y.Doc): ClusterData[] {
  const [clusters, setClusters] = useState<ClusterData[]>([]);
  useEffect(() => {
    const map = clustersMap(doc);
    const update = () => setClusters(readClusters(doc));
    update();
    map.observeDeep(update);
    return () => map.unobserveDeep(update);
  }, [doc]);
  return clusters;
}

/** "+ Subthema": the table names a new sub-theme when it makes it (after that, only the host renames). */
function NewCluster({ onCreate, themeLabel }: { onCreate: (label: string) => void; themeLabel: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [label, setLabel] = useState('');
  const id = useId();
  if (!open) {
    return (
      <button type="button" className="button button--quiet button--small" onClick={() => setOpen(true)}>
        + {t.board.newCluster}
        <span className="sr-only"> ({themeLabel})</span>
      </button>
    );
  }
  const create = () => {
    if (label.trim()) onCreate(label.trim());
    setLabel('');
    setOpen(false);
  };
  return (
    <form
      className="board__new-cluster"
      onSubmit={(e) => {
        e.preventDefault();
        create();
      }}
    >
      <label htmlFor={id}>{t.board.clusterName}</label>
      {/* eslint-disable-next-line jsx-a11y/no-autofocus -- opened by the tap on "+ Subthema", whose button this form replaces; without it the focus is lost */}
      <input id={id} value={label} maxLength={CLUSTER_LABEL_LENGTH} autoFocus onChange={(e) => setLabel(e.target.value)} />
      <button type="submit" className="button button--small" disabled={!label.trim()}>
        {t.board.clusterCreate}
      </button>
      <button type="button" className="button button--small button--quiet" onClick={() => setOpen(false)}>
        {t.board.clusterCancel}
      </button>
    </form>
  );
}

/** The host renames a sub-theme in place; the name is saved when the field is left. */
function ClusterName({ cluster, onRename }: { cluster: ClusterData; onRename: (label: string) => void }) {
  const { t } = useI18n();
  const [label, setLabel] = useState(cluster.label);
  const id = useId();
  // A rename from elsewhere replaces the draft.
  const [known, setKnown] = useState(cluster.label);
  if (known !== cluster.label) {
    setKnown(cluster.label);
    setLabel(cluster.label);
  }
  return (
    <div className="board__cluster-rename">
      <label htmlFor={id} className="sr-only">
        {t.board.clusterName}
      </label>
      <input
        id={id}
        className="board__cluster-name"
        value={label}
        maxLength={CLUSTER_LABEL_LENGTH}
        onChange={(e) => setLabel(e.target.value)}
        onBlur={() => label.trim() && label.trim() !== cluster.label && onRename(label.trim())}
      />
    </div>
  );
}

/** Which points other tablets are writing in now (from anonymous presence: no names, just a point id). */
function useOthersEditing(awareness: Awareness): Set<string> {
  const [editing, setEditing] = useState<Set<string>>(new Set());
  useEffect(() => {
    const update = () => {
      const ids = new Set<string>();
      awareness.getStates().forEach((state, clientId) => {
        const id = (state as { editing?: unknown }).editing;
        if (clientId !== awareness.clientID && typeof id === 'string') ids.add(id);
      });
      setEditing((before) => (before.size === ids.size && [...ids].every((id) => before.has(id)) ? before : ids));
    };
    update();
    awareness.on('change', update);
    return () => awareness.off('change', update);
  }, [awareness]);
  return editing;
}

/** Whether there is something to undo or redo; follows the undo manager's stacks. */
function useUndoState(undo: Y.UndoManager): { canUndo: boolean; canRedo: boolean } {
  const [state, setState] = useState({ canUndo: false, canRedo: false });
  useEffect(() => {
    const update = () => setState({ canUndo: undo.undoStack.length > 0, canRedo: undo.redoStack.length > 0 });
    update();
    undo.on('stack-item-added', update);
    undo.on('stack-item-popped', update);
    undo.on('stack-cleared', update);
    return () => {
      undo.off('stack-item-added', update);
      undo.off('stack-item-popped', update);
      undo.off('stack-cleared', update);
    };
  }, [undo]);
  return state;
}

interface Props {
  table: TableDoc;
  themes: Theme[];
  roundId: string | null;
  stepId: string | null;
  /**
   * Whether the current step lets the table write and change its points (a collecting step; see
   * server/domain/boardRules.ts). Otherwise the board is shown as it is; a host can still hide.
   */
  canAdd: boolean;
  host?: boolean;
  /** The board's name for assistive technology; a table's board by default. */
  label?: string;
  /** Suggest points that seem to say the same (while sorting, and on the plenary board). */
  suggest?: boolean;
  /** The agenda step now, kept with each merge for the report's trail (the plenary's points have none of their own). */
  mergeStep?: string | null;
}

export function Board({ table, themes, roundId, stepId, canAdd, host = false, label, suggest = false, mergeStep = stepId }: Props) {
  const { t } = useI18n();
  const { doc, awareness, undo } = table;
  const all = usePoints(doc);
  const othersEditing = useOthersEditing(awareness);
  const { canUndo, canRedo } = useUndoState(undo);
  /** The point being merged into another, while the table picks where it goes. */
  const [merging, setMerging] = useState<string | null>(null);
  const onFocusPoint = useCallback((id: string | null) => awareness.setLocalStateField('editing', id), [awareness]);
  const [added, setAdded] = useState<string | null>(null);
  const known = new Set(themes.map((th) => th.id));
  const clusters = useClusters(doc);
  const roundClusters = clusters.filter((c) => c.round === roundId && known.has(c.theme));
  const clusterById = new Map(roundClusters.map((c) => [c.id, c]));
  // Where a point can go: each theme, and the sub-themes the table made under it this round.
  const places: Theme[] = themes.flatMap((th) => [
    th,
    ...roundClusters.filter((c) => c.theme === th.id).map((c) => ({ id: c.id, label: `${th.label} › ${c.label}` })),
  ]);
  const byId = new Map(all.map((p) => [p.id, p]));
  const roots = new Map(all.map((p) => [p.id, mergeRoot(byId, p)]));
  const mergedInto = (id: string) => all.filter((p) => roots.get(p.id) === id);
  const inRound = all.filter((p) => p.round === roundId && roots.get(p.id) === null);
  const earlier = all.filter((p) => p.round !== roundId && !p.hidden && p.text.trim() !== '' && roots.get(p.id) === null);
  const hiddenCount = inRound.filter((p) => p.hidden).length;
  const shown = host ? inRound : inRound.filter((p) => !p.hidden);
  const full = all.length >= LIMITS.pointsPerTable;

  const add = (themeId: string) => {
    const id = nanoid(12);
    addPoint(doc, { id, theme: themeId, round: roundId, step: stepId });
    setAdded(id);
  };
  const remove = useCallback((id: string) => pointsMap(doc).delete(id), [doc]);
  const setHidden = useCallback((id: string, hidden: boolean) => pointsMap(doc).get(id)?.set('hidden', hidden), [doc]);
  const mergeInto = useCallback(
    (target: string) => {
      if (merging) mergePoint(doc, merging, target, { by: 'hand', step: mergeStep });
      setMerging(null);
    },
    [doc, merging, mergeStep],
  );
  const unmerge = useCallback((id: string) => unmergePoint(doc, id), [doc]);

  // Points under a theme that no longer exists stay visible under the first theme.
  const columnOf = (p: PointData) => (known.has(p.theme) ? p.theme : (clusterById.get(p.theme)?.theme ?? themes[0]!.id));

  return (
    <>
      <BoardNotices
        table={table}
        undoTools={canAdd}
        canUndo={canUndo}
        canRedo={canRedo}
        hiddenCount={host ? 0 : hiddenCount}
        merging={merging !== null}
        onCancelMerge={() => setMerging(null)}
      />
      {suggest && <DuplicateSuggestions key={doc.guid} doc={doc} roundId={roundId} step={mergeStep} disabled={!canAdd} />}
      <div className="board" aria-label={label ?? t.tablet.board} role="region">
        {themes.map((theme) => {
          const inColumn = shown.filter((p) => columnOf(p) === theme.id);
          const headingId = `theme-${theme.id}`;
          /** The cards of one place (the theme itself, or one of its sub-themes), in order. */
          const cards = (place: Theme) => {
            const here = inColumn.filter((p) => p.theme === place.id || (place.id === theme.id && !clusterById.has(p.theme)));
            return (
              <ul className="board__points">
                {here.map((p, i) => {
                  const point = pointsMap(doc).get(p.id);
                  return point ? (
                    <PointCard
                      key={p.id}
                      id={p.id}
                      point={point}
                      theme={place}
                      themes={places}
                      justAdded={added === p.id}
                      isEmpty={p.text.trim() === ''}
                      hidden={p.hidden}
                      othersEditing={othersEditing.has(p.id)}
                      merged={mergedInto(p.id)}
                      mergeState={merging === null ? 'idle' : merging === p.id ? 'source' : 'target'}
                      onStartMerge={setMerging}
                      onMergeInto={mergeInto}
                      onUnmerge={unmerge}
                      canMoveUp={i > 0}
                      canMoveDown={i < here.length - 1}
                      onMove={(id, by) => movePoint(doc, here, id, by)}
                      onFocusChange={onFocusPoint}
                      onRemove={remove}
                      onHide={host ? setHidden : undefined}
                      locked={!canAdd}
                      origin={p.origin}
                    />
                  ) : null;
                })}
              </ul>
            );
          };
          const addButton = (place: Theme) =>
            canAdd && (
              <button type="button" className="button button--add" onClick={() => add(place.id)} disabled={full}>
                + {t.tablet.addPoint}
                <span className="sr-only"> ({place.label})</span>
              </button>
            );
          return (
            <section key={theme.id} className="board__column" aria-labelledby={headingId}>
              <h2 id={headingId} className="board__theme">
                {theme.label} <span className="board__count">({inColumn.filter((p) => !p.hidden).length})</span>
              </h2>
              {cards(theme)}
              {addButton(theme)}
              {roundClusters
                .filter((c) => c.theme === theme.id)
                .map((c) => (
                  <section key={c.id} className="board__cluster" aria-label={c.label}>
                    {host && canAdd ? (
                      <ClusterName cluster={c} onRename={(label) => renameCluster(doc, c.id, label)} />
                    ) : (
                      <h3 className="board__cluster-name">{c.label}</h3>
                    )}
                    {cards({ id: c.id, label: c.label })}
                    {addButton({ id: c.id, label: c.label })}
                  </section>
                ))}
              {canAdd && (
                <NewCluster onCreate={(label) => addCluster(doc, { id: nanoid(12), theme: theme.id, round: roundId, label })} themeLabel={theme.label} />
              )}
            </section>
          );
        })}
      </div>
      <EarlierPoints points={earlier} />
    </>
  );
}

interface NoticesProps {
  table: Props['table'];
  /** Undo and redo are offered while the table may write. */
  undoTools: boolean;
  canUndo: boolean;
  canRedo: boolean;
  /** Points a host hid, said to the table; 0 says nothing (a host sees them on the board). */
  hiddenCount: number;
  merging: boolean;
  onCancelMerge: () => void;
}

/** What the table is told above its board: offline, a refused change, undo and redo, hidden points, merging. */
function BoardNotices({ table, undoTools, canUndo, canRedo, hiddenCount, merging, onCancelMerge }: NoticesProps) {
  const { t } = useI18n();
  const [dismissed, setDismissed] = useState(0);
  return (
    <>
      {!table.online && (
        <p className="board__offline" role="status">
          {t.board.offline}
        </p>
      )}
      {table.refusal && table.refusal.at > dismissed && (
        <div className="board__refusal" role="alert">
          <p>{t.board.refusals[table.refusal.code]}</p>
          <button type="button" className="button button--small" onClick={() => setDismissed(Date.now())}>
            {t.board.dismiss}
          </button>
        </div>
      )}
      {undoTools && (
        <div className="board__tools" role="group" aria-label={`${t.board.undo} / ${t.board.redo}`}>
          <button type="button" className="button" disabled={!canUndo} onClick={() => table.undo.undo()}>
            ↶ {t.board.undo}
          </button>
          <button type="button" className="button" disabled={!canRedo} onClick={() => table.undo.redo()}>
            ↷ {t.board.redo}
          </button>
        </div>
      )}
      {hiddenCount > 0 && <p className="board__hidden-note">{t.host.hiddenCount(hiddenCount)}</p>}
      {merging && (
        <div className="board__merging" role="status">
          <p>{t.board.mergeHint}</p>
          <button type="button" className="button" onClick={onCancelMerge}>
            {t.board.mergeCancel}
          </button>
        </div>
      )}
    </>
  );
}

/** Points of earlier rounds, folded away: read-only, for reference. */
function EarlierPoints({ points }: { points: PointData[] }) {
  const { t } = useI18n();
  if (points.length === 0) return null;
  return (
    <details className="board__earlier">
      <summary>{t.tablet.earlier(points.length)}</summary>
      <ul>
        {points.map((p) => (
          <li key={p.id}>{p.text}</li>
        ))}
      </ul>
    </details>
  );
}
