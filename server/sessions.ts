/** Sessions: creation, lookup, and the facilitator key that controls one. */
import { agendaTemplate, type Agenda } from '../shared/agenda.js';
import { readProjector } from './domain/projector.js';
import type { CreateSessionBody, Participation, ProjectorSettings, SessionKind, Theme } from '../shared/protocol.js';
import { themesFromLabels } from '../shared/themes.js';
import type { Db } from './db.js';
import { statement } from './db.js';
import { deepFreeze } from './frozen.js';
import type { RunState } from './domain/run.js';
import { AppError } from './errors.js';
import { hashSecret, newId, newJoinCode, newSecret, secretMatches } from './secrets.js';

export interface Session {
  id: string;
  kind: SessionKind;
  title: string;
  question: string;
  place: string;
  participation: Participation | null;
  decides: string;
  tables: number;
  themes: Theme[];
  joinCode: string;
  createdAt: number;
  agenda: Agenda;
  run: RunState;
  projector: ProjectorSettings;
}

interface SessionRow {
  id: string;
  kind: SessionKind;
  title: string;
  question: string;
  place: string;
  participation: Participation | null;
  decides: string;
  table_count: number;
  themes: string;
  join_code: string;
  facilitator_key_hash: string;
  created_at: number;
  agenda: string;
  run_state: string;
  projector: string;
}

/** Dutch defaults, so a session made with an empty body is ready to use. */
const DEFAULT_TEXT: Record<SessionKind, { title: string; question: string }> = {
  thematafel: {
    title: 'Thematafel',
    question: 'Wat is er nodig om samen tot betere afspraken te komen?',
  },
  burgerberaad: {
    title: 'Burgerberaad',
    question: 'Welk advies geven wij aan de gemeenteraad?',
  },
};

const toSession = (r: SessionRow): Session => ({
  id: r.id,
  kind: r.kind,
  title: r.title,
  question: r.question,
  place: r.place,
  participation: r.participation,
  decides: r.decides,
  tables: r.table_count,
  themes: JSON.parse(r.themes) as Theme[],
  joinCode: r.join_code,
  createdAt: r.created_at,
  agenda: JSON.parse(r.agenda) as Agenda,
  run: JSON.parse(r.run_state) as RunState,
  projector: readProjector(JSON.parse(r.projector)),
});

/** Sessions kept at once; more than a server runs in one evening. */
const KEPT_SESSIONS = 64;

export class Sessions {
  /**
   * Sessions as read, until this class writes them (it is the only writer): every event, view
   * and device state reads its session, and parsing its agenda and run each time was a third of
   * the server's work while 5,000 phones joined.
   */
  private readonly kept = new Map<string, Session>();

  constructor(private readonly db: Db) {}

  private keep(row: SessionRow): Session {
    if (this.kept.size >= KEPT_SESSIONS) this.kept.clear();
    const session = deepFreeze(toSession(row));
    this.kept.set(session.id, session);
    return session;
  }

  /** `agenda` is the edited agenda from the body, with ids; without it the kind's template is used. */
  create(body: Omit<CreateSessionBody, 'agenda'> & { kind: SessionKind; tables: number; themes: string[]; agenda?: Agenda }, now = Date.now()) {
    const id = newId();
    const facilitatorKey = newSecret();
    const defaults = DEFAULT_TEXT[body.kind];
    const insert = statement(
      this.db,
      `INSERT INTO sessions (id, kind, title, question, place, participation, decides, table_count, themes, join_code,
         facilitator_key_hash, created_at, agenda)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertTable = statement(this.db, 'INSERT INTO session_tables (session_id, number) VALUES (?, ?)');
    const codeTaken = statement(this.db, 'SELECT 1 FROM sessions WHERE join_code = ?');
    this.db.transaction(() => {
      let joinCode = newJoinCode();
      while (codeTaken.get(joinCode)) joinCode = newJoinCode();
      const themes = themesFromLabels(body.themes);
      insert.run(
        id,
        body.kind,
        body.title ?? defaults.title,
        body.question ?? defaults.question,
        body.place ?? '',
        body.participation ?? null,
        body.decides ?? '',
        body.tables,
        JSON.stringify(themes),
        joinCode,
        hashSecret(facilitatorKey),
        now,
        JSON.stringify(body.agenda ?? agendaTemplate(body.kind, newId)),
      );
      for (let n = 1; n <= body.tables; n++) insertTable.run(id, n);
    })();
    return { session: this.require(id), facilitatorKey };
  }

  get(id: string): Session | undefined {
    const kept = this.kept.get(id);
    if (kept) return kept;
    const row = statement(this.db, 'SELECT * FROM sessions WHERE id = ?').get(id) as SessionRow | undefined;
    return row && this.keep(row);
  }

  require(id: string): Session {
    const session = this.get(id);
    if (!session) throw new AppError('session_not_found', 'There is no session with this id');
    return session;
  }

  byJoinCode(code: string): Session | undefined {
    const row = statement(this.db, 'SELECT id FROM sessions WHERE join_code = ?').get(code) as { id: string } | undefined;
    return row && this.get(row.id);
  }

  setAgenda(id: string, agenda: Agenda): void {
    statement(this.db, 'UPDATE sessions SET agenda = ? WHERE id = ?').run(JSON.stringify(agenda), id);
    this.kept.delete(id);
  }

  setRun(id: string, run: RunState): void {
    statement(this.db, 'UPDATE sessions SET run_state = ? WHERE id = ?').run(JSON.stringify(run), id);
    this.kept.delete(id);
  }

  setProjector(id: string, projector: ProjectorSettings): void {
    statement(this.db, 'UPDATE sessions SET projector = ? WHERE id = ?').run(JSON.stringify(projector), id);
    this.kept.delete(id);
  }

  isFacilitator(id: string, key: string): boolean {
    const row = statement(this.db, 'SELECT facilitator_key_hash FROM sessions WHERE id = ?').get(id) as Pick<SessionRow, 'facilitator_key_hash'> | undefined;
    return row !== undefined && secretMatches(key, row.facilitator_key_hash);
  }
}
