/**
 * The wall, drawn from the session alone: the projector shows it full screen, the console a
 * small copy of it. All sizes are relative to the screen (container units), so the copy lays
 * out, fits and pages exactly as the wall does.
 */
import type { PlenaryBoard, SessionView, TableBoard, Tally } from '../../shared/protocol';
import { StepTimer } from '../components/StepTimer';
import { useI18n } from '../i18n/I18n';
import { position, stepTitle } from '../lib/steps';
import { JoinCard } from './JoinCard';
import { stageOf, type Stage } from './stage';
import { BoardStage, ConvergingStage, PlenaryStage, QuestionStage, TopsStage, VoteStage } from './WallStages';

export interface WallData {
  session: SessionView;
  tally: Tally | null;
  board: TableBoard | null;
  plenary: PlenaryBoard | null;
}

interface Props extends WallData {
  onPages?: (page: number, pages: number) => void;
  /** The console's copy: no live regions or landmarks of its own. */
  preview?: boolean;
}

export function ProjectorScreen({ session, tally, board, plenary, onPages, preview = false }: Props) {
  const { t } = useI18n();
  const pos = position(session);
  const stage = stageOf(session, tally, board);
  const { theme, join, paging } = session.projector;
  const joinSize = join === 'hidden' ? null : stage.kind === 'lobby' && join === 'large' ? 'large' : 'small';
  const Root = preview ? 'div' : 'main';
  return (
    <Root className={`wall wall--${theme}${joinSize ? ` wall--join-${joinSize}` : ''}`}>
      <div className="wall__main">
        <header className="wall__head">
          <div className="wall__titles">
            {preview ? <p className="wall__title">{session.title}</p> : <h1 className="wall__title">{session.title}</h1>}
            {pos.status === 'running' && pos.current && <p className="wall__step">{stepTitle(t, pos.current.step)}</p>}
          </div>
          <StepTimer timer={pos.status === 'running' ? session.run.timer : null} size="large" copy={preview} />
        </header>
        <StageBody stage={stage} data={{ session, tally, board, plenary }} paging={paging} onPages={onPages} />
      </div>
      {joinSize && <JoinCard joinUrl={session.joinUrl} joinCode={session.joinCode} compact={joinSize === 'small'} />}
    </Root>
  );
}

function StageBody({ stage, data, paging, onPages }: { stage: Stage; data: WallData; paging: SessionView['projector']['paging']; onPages?: Props['onPages'] }) {
  const { t } = useI18n();
  const common = { paging, onPages };
  switch (stage.kind) {
    case 'lobby':
    case 'question':
      return <QuestionStage question={stage.question} {...common} />;
    case 'table':
      return data.board ? <BoardStage session={data.session} board={data.board} {...common} /> : null;
    case 'plenary':
      return <PlenaryStage plenary={data.plenary} {...common} />;
    case 'converging':
      return <ConvergingStage plenary={data.plenary} tables={data.session.tables} {...common} />;
    case 'tops':
      return <TopsStage session={data.session} {...common} />;
    case 'vote':
      return <VoteStage vote={stage.vote} phase={stage.phase} tally={data.tally} reveal={data.session.projector.reveal} {...common} />;
    case 'ended':
      return (
        <section className="wall__stage">
          <p className="wall__question">{t.run.endedText}</p>
        </section>
      );
  }
}
