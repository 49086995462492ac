/**
 * What the room looks at: the question, a vote's live result, each table's top points, or one
 * table's board in the spotlight. Shared by the projector and the observers' view.
 */
import type { PlenaryBoard, SessionView, Tally, TableBoard } from '../../shared/protocol';
import { useI18n } from '../i18n/I18n';
import { Turnout, VoteChart } from '../components/VoteChart';
import { position } from '../lib/steps';

interface Props {
  session: SessionView;
  tally: Tally | null;
  board: TableBoard | null;
  plenary: PlenaryBoard | null;
  size: 'normal' | 'large';
  colors: { bar: string; text: string };
}

export function StageContent({ session, tally, board, plenary, size, colors }: Props) {
  const { t } = useI18n();
  const pos = position(session);
  const spotlight = session.projector.spotlight;
  const vote = session.vote;
  const type = pos.status === 'running' ? pos.current?.step.type : undefined;
  const themeLabel = new Map(session.themes.map((th) => [th.id, th.label]));

  if (spotlight?.kind === 'table' && board?.table === spotlight.table) {
    return (
      <section aria-labelledby="stage-board" className="stage-board">
        <h2 id="stage-board" className="stage__subtitle">
          {t.projectorControl.spotlightTable(board.table)}
        </h2>
        {board.points.length === 0 ? (
          <p>{t.top.none}</p>
        ) : (
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
        )}
      </section>
    );
  }

  if (spotlight?.kind === 'plenary') return <PlenaryStage plenary={plenary} />;

  if (vote && (spotlight?.kind === 'result' || type === 'stemmen')) {
    return (
      <section aria-labelledby="stage-vote">
        <h2 id="stage-vote" className="stage__subtitle">
          {vote.status === 'open' ? t.projector.live : t.projector.results}
        </h2>
        <Turnout tally={tally} voteId={vote.id} />
        <VoteChart vote={vote} tally={tally} limit={10} size={size} colors={colors} />
      </section>
    );
  }

  if (type === 'terugkoppeling') {
    return (
      <section aria-label={t.steps.terugkoppeling}>
        <ul className="stage-tops">
          {session.tops.map((top) => (
            <li key={top.table} className="stage-tops__table">
              <h3>
                {t.top.tableTop(top.table)}
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
        {vote?.status === 'closed' && (
          <>
            <h2 className="stage__subtitle">{t.projector.results}</h2>
            <VoteChart vote={vote} tally={tally} limit={5} size={size} colors={colors} />
          </>
        )}
      </section>
    );
  }

  if (pos.status === 'ended') return <p className="stage__question">{t.run.endedText}</p>;

  return (
    <section aria-labelledby="stage-question">
      <h2 id="stage-question" className="stage__subtitle">
        {t.projector.question}
      </h2>
      <p className="stage__question">{pos.question}</p>
    </section>
  );
}

/** The plenary board: per theme its points, with the tables they came from and how often they were written. */
function PlenaryStage({ plenary }: { plenary: PlenaryBoard | null }) {
  const { t } = useI18n();
  const points = plenary?.points ?? [];
  return (
    <section aria-labelledby="stage-plenary" className="stage-board stage-board--plenary">
      <h2 id="stage-plenary" className="stage__subtitle">
        {t.plenary.title}
      </h2>
      {points.length === 0 ? (
        <p>{t.plenary.empty}</p>
      ) : (
        <div className="stage-board__themes">
          {plenary!.themes.map((theme) => {
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
      )}
    </section>
  );
}
