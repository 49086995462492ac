/** Start page: join with the code from the screen, or (for organisers) create a session. */
import { useState, type FormEvent } from 'react';
import { DEFAULT_THEME_LABELS } from '../../shared/themes';
import { LIMITS, Participation, type SessionKind } from '../../shared/protocol';
import { useI18n } from '../i18n/I18n';
import { TopBar } from '../components/Page';
import { useErrorText } from '../components/useErrorText';
import { ApiError, api } from '../lib/api';
import { navigate } from '../lib/router';
import { rememberFacilitatorKey } from '../lib/storage';

function JoinForm() {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const clean = code.replace(/[^A-Za-z0-9]/g, '').toUpperCase();
    if (clean) navigate(`/j/${clean}`);
  };
  return (
    <section className="card" aria-labelledby="join-title">
      <h2 id="join-title">{t.home.joinTitle}</h2>
      <form onSubmit={submit} className="join-form">
        <div className="field">
          <label htmlFor="join-code">{t.home.joinLabel}</label>
          <p className="field__hint" id="join-code-hint">
            {t.home.joinHint}
          </p>
          <input
            id="join-code"
            className="input--code"
            value={code}
            onChange={(e) => setCode(e.target.value.toUpperCase())}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            maxLength={8}
            aria-describedby="join-code-hint"
          />
        </div>
        <button type="submit" className="button button--primary" disabled={code.trim().length < 6}>
          {t.home.joinButton}
        </button>
      </form>
    </section>
  );
}

function CreateForm() {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [kind, setKind] = useState<SessionKind>('thematafel');
  const [title, setTitle] = useState('');
  const [question, setQuestion] = useState('');
  const [place, setPlace] = useState('');
  const [participation, setParticipation] = useState<Participation | ''>('');
  const [decides, setDecides] = useState('');
  const [tables, setTables] = useState(4);
  const [themes, setThemes] = useState<string[]>([...DEFAULT_THEME_LABELS]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await api.createSession({
        kind,
        title: title.trim() || undefined,
        question: question.trim() || undefined,
        place: place.trim() || undefined,
        participation: participation || undefined,
        decides: decides.trim() || undefined,
        tables,
        themes: themes.map((th) => th.trim()).filter(Boolean),
      });
      rememberFacilitatorKey(res.id, res.facilitatorKey);
      navigate(`/f/${res.id}#key=${res.facilitatorKey}`);
    } catch (err) {
      setError(errorText(err instanceof ApiError ? err.code : 'internal'));
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="create-title">
      <h2 id="create-title">{t.home.createTitle}</h2>
      <p>{t.home.createIntro}</p>
      <form onSubmit={submit} className="stack">
        <fieldset className="field">
          <legend>{t.home.kind}</legend>
          <div className="choice-row">
            {(['thematafel', 'burgerberaad'] as const).map((k) => (
              <label key={k} className="choice">
                <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
                {t.home.kinds[k]}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="field">
          <label htmlFor="title">{t.home.titleLabel}</label>
          <input id="title" value={title} maxLength={LIMITS.titleLength} placeholder={t.home.titlePlaceholder} onChange={(e) => setTitle(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="question">{t.home.question}</label>
          <textarea
            id="question"
            rows={3}
            value={question}
            maxLength={LIMITS.questionLength}
            placeholder={t.home.questionPlaceholder}
            onChange={(e) => setQuestion(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="place">{t.home.place}</label>
          <input id="place" value={place} maxLength={LIMITS.placeLength} placeholder={t.home.placePlaceholder} onChange={(e) => setPlace(e.target.value)} />
        </div>
        <ParticipationField value={participation} onChange={setParticipation} />
        <div className="field">
          <label htmlFor="decides">{t.home.decides}</label>
          <input
            id="decides"
            value={decides}
            maxLength={LIMITS.decidesLength}
            placeholder={t.home.decidesPlaceholder}
            onChange={(e) => setDecides(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="tables">{t.home.tables}</label>
          <input
            id="tables"
            type="number"
            inputMode="numeric"
            min={1}
            max={LIMITS.tables}
            value={tables}
            onChange={(e) => setTables(Math.max(1, Math.min(LIMITS.tables, Number(e.target.value) || 1)))}
            className="input--short"
          />
        </div>
        <ThemesField themes={themes} onChange={setThemes} />
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? t.home.creating : t.home.create}
        </button>
      </form>
    </section>
  );
}

/** How far participants take part (samen denken / doen / beslissen / leren), stated in the report. */
function ParticipationField({ value, onChange }: { value: Participation | ''; onChange: (value: Participation | '') => void }) {
  const { t } = useI18n();
  return (
    <div className="field">
      <label htmlFor="participation">{t.home.participation}</label>
      <p className="field__hint" id="participation-hint">
        {t.home.participationHint}
      </p>
      <select id="participation" value={value} aria-describedby="participation-hint" onChange={(e) => onChange(e.target.value as Participation | '')}>
        <option value="">{t.home.participationNone}</option>
        {Participation.options.map((p) => (
          <option key={p} value={p}>
            {t.participation[p]}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The session's themes: renamed, added up to the limit, removed down to one. */
function ThemesField({ themes, onChange }: { themes: string[]; onChange: (themes: string[]) => void }) {
  const { t } = useI18n();
  return (
    <fieldset className="field">
      <legend>{t.home.themes}</legend>
      <p className="field__hint">{t.home.themesHint}</p>
      <ul className="theme-list">
        {themes.map((theme, i) => (
          <li key={i} className="theme-list__row">
            <input
              aria-label={t.home.themeLabel(i + 1)}
              value={theme}
              maxLength={LIMITS.themeLabelLength}
              onChange={(e) => onChange(themes.map((th, j) => (j === i ? e.target.value : th)))}
            />
            <button
              type="button"
              className="button button--quiet"
              aria-label={t.home.removeTheme(theme)}
              disabled={themes.length <= 1}
              onClick={() => onChange(themes.filter((_, j) => j !== i))}
            >
              ✕
            </button>
          </li>
        ))}
      </ul>
      {themes.length < LIMITS.themes && (
        <button type="button" className="button" onClick={() => onChange([...themes, ''])}>
          {t.home.addTheme}
        </button>
      )}
    </fieldset>
  );
}

export function HomePage() {
  const { t } = useI18n();
  return (
    <div className="page">
      <TopBar />
      <main className="home">
        <h1>{t.home.title}</h1>
        <p className="lead">{t.home.intro}</p>
        <div className="home__grid">
          <JoinForm />
          <CreateForm />
        </div>
      </main>
    </div>
  );
}
