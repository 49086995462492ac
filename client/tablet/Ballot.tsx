/**
 * The tablet's ballot in a vote, for every method. A tablet that is one person's own keeps
 * that person's ballot; a tablet shared by a table (doorgeefstand) takes one ballot per seat.
 */
import type { DeviceState, Theme, VoteView } from '../../shared/protocol';
import type { SessionConnection } from '../lib/useSessionSocket';
import { itemsFor, mergeThemes } from './ballot/choices';
import { PersonalBallot } from './ballot/PersonalBallot';
import { SharedTablet } from './ballot/SharedTablet';

interface Props {
  vote: VoteView;
  device: DeviceState;
  themes: Theme[];
  /** The plenary board's themes: a plenary vote's items may sit under one of these. */
  plenaryThemes: Theme[];
  votedHere: boolean;
  emit: SessionConnection['emit'];
  onReceived: (voteId: string) => void;
  onDone: () => void;
}

export function Ballot({ vote, device, themes, plenaryThemes, votedHere, emit, onReceived, onDone }: Props) {
  const common = { vote, items: itemsFor(vote, device.table), themes: mergeThemes(themes, plenaryThemes), emit, onReceived, onDone };
  // Keyed by the vote, so nothing of one vote's ballot carries over into the next.
  return device.seats > 0 ? (
    <SharedTablet key={vote.id} {...common} seats={device.seats} seatsVoted={device.seatsVoted} />
  ) : (
    <PersonalBallot key={vote.id} {...common} votedHere={votedHere} />
  );
}
