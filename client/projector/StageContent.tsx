/**
 * What the room looks at, for the observers' view (a page that scrolls): the same stage as on
 * the wall (see stage.ts), drawn as an ordinary page.
 */
import type { ReactElement, ReactNode } from 'react';
import { converging } from '../../shared/plenary';
import type { PlenaryBoard, SessionView, Tally, TableBoard } from '../../shared/protocol';
import { useI18n } from '../i18n/I18n';
import { Turnout, VoteChart } from '../components/VoteChart';
import { stageOf } from './stage';

interface Props {
  session: SessionView;
  tally: Tally | null;
  board: TableBoard | null;
  plenary: PlenaryBoard | null;
  size: 'normal' | 'large';
  colors: { bar: string; text: string };
}

// The return type makes a stage without a case here a compile error, not a blank screen.
export function StageContent({ session, tally, board, plenary, size, colors }: Props): ReactElement | null {
  const { t } = useI18n();
  const stage = stageOf(session, tally, board);
  const themeLabel = new Map(session.themes.map((th) => [th.id, th.label]));
  const roundTitle = new Map(session.agenda.rounds.map((r, i) => [r.id, r.title ?? t.run.round(i + 1)]));

  switch (stage.kind) {
    case 'table':
      return board ? (
        <StageBoard id="stage-board" title={t.projectorControl.spotlightTable(board.table)} empty={board.points.length === 0 ? t.top.none : null}>
          <div className="stage-board__themes">
            {session.themes.map((theme) => {
              const points = board.points.filter((p) => p.theme === theme.id);
              return points.length === 0 ? null : (
                <section key={theme.id} aria-label={theme.label}>
                  <h3>{theme.label}</h3>
                  <ul>
                    {points.map((p) => (
                      <li key={p.id}>{p.text}</li>
                    ))}
                  </ul>
                </section>
              );
            })}
          </div>
        </StageBoard>
      ) : null;
    case 'plenary':
      return <PlenaryStage plenary={plenary} />;
    case 'converging':
      return <ConvergingStage plenary={plenary} tables={session.tables} />;
    case 'vote':
      return (
        <section aria-labelledby="stage-vote">
          <h2 id="stage-vote" className="stage__subtitle">
            {stage.phase === 'result' ? t.projector.results : stage.phase === 'live' ? t.projector.live : t.projector.votingOn}
          </h2>
          <Turnout tally={tally} voteId={stage.vote.id} />
          <VoteChart vote={stage.vote} tally={tally} size={size} colors={colors} />
        </section>
      );
    case 'tops':
      return (
        <section aria-label={t.steps.terugkoppeling}>
          <ul className="stage-tops">
            {session.tops.map((top) => (
              <li key={`${top.round}:${top.table}`} className="stage-tops__table">
                <h3>
                  {t.top.tableTop(top.table)} <span className="stage-tops__all">· {roundTitle.get(top.round)}</span>
                  {!top.chosen && <span className="stage-tops__all"> ({t.top.allPoints})</span>}
                </h3>
                <ol>
                  {top.points.map((p) => (
                    <li key={p.id}>
                      {p.text} <span className="stage-tops__theme">{themeLabel.get(p.theme)}</span>
                    </li>
                  ))}
                </ol>
              </li>
            ))}
          </ul>
        </section>
      );
    case 'ended':
      return <p className="stage__question">{t.run.endedText}</p>;
    case 'lobby':
    case 'question':
      return (
        <section aria-labelledby="stage-question">
          <h2 id="stage-question" className="stage__subtitle">
            {t.projector.question}
          </h2>
          <p className="stage__question">{stage.question}</p>
        </section>
      );
  }
}

/** A board on the stage: its title, and either what it holds or why it is empty. */
function StageBoard({
  id,
  title,
  empty,
  plenary = false,
  children,
}: {
  id: string;
  title: string;
  empty: string | null;
  plenary?: boolean;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={id} className={plenary ? 'stage-board stage-board--plenary' : 'stage-board'}>
      <h2 id={id} className="stage__subtitle">
        {title}
      </h2>
      {empty === null ? children : <p>{empty}</p>}
    </section>
  );
}

/** What came up at several tables, most tables first. */
function ConvergingStage({ plenary, tables }: { plenary: PlenaryBoard | null; tables: number }) {
  const { t } = useI18n();
  const points = converging(plenary?.points ?? []);
  return (
    <StageBoard id="stage-converging" title={t.plenary.converging} empty={points.length === 0 ? t.plenary.convergingEmpty : null} plenary>
      <ol>
        {points.map((p) => (
          <li key={p.id}>
            {p.text} <span className="stage-board__origin">{t.plenary.atTables(p.tables.length, tables)}</span>
          </li>
        ))}
      </ol>
    </StageBoard>
  );
}

/** The plenary board: per theme its points, with the tables they came from and how often they were written. */
function PlenaryStage({ plenary }: { plenary: PlenaryBoard | null }) {
  const { t } = useI18n();
  const points = plenary?.points ?? [];
  return (
    <StageBoard id="stage-plenary" title={t.plenary.title} empty={points.length === 0 ? t.plenary.empty : null} plenary>
      <div className="stage-board__themes">
        {(plenary?.themes ?? []).map((theme) => {
          const here = points.filter((p) => p.theme === theme.id);
          return here.length === 0 ? null : (
            <section key={theme.id} aria-label={theme.label}>
              <h3>{theme.label}</h3>
              <ul>
                {here.map((p) => (
                  <li key={p.id}>
                    {p.text}
                    <span className="stage-board__origin">
                      {' '}
                      {p.tables.length > 0 && t.plenary.fromTables(p.tables)}
                      {p.count > 1 && ` · ${t.plenary.times(p.count)}`}
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          );
        })}
      </div>
    </StageBoard>
  );
}
