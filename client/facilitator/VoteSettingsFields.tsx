/**
 * A vote's settings: method, what is voted on, the method's numbers, blind or not. Used in the
 * programme editor (a vote step's settings) and when the facilitator opens a vote.
 */
import { useId } from 'react';
import { LIMITS, VoteMethod, VoteSource, type SessionKind, type VoteSettings } from '../../shared/protocol';
import { resolveVote } from '../../shared/voteSettings';
import { useI18n } from '../i18n/I18n';

interface Props {
  value: VoteSettings;
  kind: SessionKind;
  disabled?: boolean;
  onChange: (next: VoteSettings) => void;
}

const clamp = (n: number, min: number, max: number) => Math.max(min, Math.min(max, Math.round(n) || min));

export function VoteSettingsFields({ value, kind, disabled, onChange }: Props) {
  const { t } = useI18n();
  const id = useId();
  const resolved = resolveVote(value, kind);
  const rules = resolved.rules;
  const set = (patch: Partial<VoteSettings>) => onChange({ ...value, ...patch });
  return (
    <fieldset className="vote-settings" disabled={disabled}>
      <legend className="sr-only">{t.voteSettings.legend}</legend>
      <div className="field">
        <label htmlFor={`${id}-method`}>{t.voteSettings.method}</label>
        <select
          id={`${id}-method`}
          value={value.method}
          onChange={(e) =>
            onChange({
              method: e.target.value as VoteSettings['method'],
              ...(value.source && { source: value.source }),
              ...(value.recommendations && { recommendations: value.recommendations }),
              ...(value.blind !== undefined && { blind: value.blind }),
            })
          }
        >
          {VoteMethod.options.map((m) => (
            <option key={m} value={m}>
              {t.vote.methodNames[m]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-source`}>{t.voteSettings.source}</label>
        <select id={`${id}-source`} value={resolved.source} onChange={(e) => set({ source: e.target.value as VoteSettings['source'] })}>
          {VoteSource.options.map((s) => (
            <option key={s} value={s}>
              {t.voteSettings.sources[s]}
            </option>
          ))}
        </select>
      </div>
      {rules.method === 'dots' && (
        <div className="choice-row">
          <div className="field field--short">
            <label htmlFor={`${id}-budget`}>{t.voteSettings.dots}</label>
            <input
              id={`${id}-budget`}
              type="number"
              inputMode="numeric"
              min={1}
              max={LIMITS.dotBudgetMax}
              value={rules.budget}
              onChange={(e) => {
                const budget = clamp(Number(e.target.value), 1, LIMITS.dotBudgetMax);
                set({ budget, maxPerItem: Math.min(budget, value.maxPerItem ?? budget) });
              }}
            />
          </div>
          <div className="field field--short">
            <label htmlFor={`${id}-max`}>{t.voteSettings.maxPerItem}</label>
            <input
              id={`${id}-max`}
              type="number"
              inputMode="numeric"
              min={1}
              max={rules.budget}
              value={rules.maxPerItem}
              onChange={(e) => set({ maxPerItem: clamp(Number(e.target.value), 1, rules.budget) })}
            />
          </div>
        </div>
      )}
      {rules.method === 'points' && (
        <div className="field field--short">
          <label htmlFor={`${id}-points`}>{t.voteSettings.points}</label>
          <input
            id={`${id}-points`}
            type="number"
            inputMode="numeric"
            min={1}
            max={LIMITS.pointsBudgetMax}
            value={rules.budget}
            onChange={(e) => set({ budget: clamp(Number(e.target.value), 1, LIMITS.pointsBudgetMax) })}
          />
        </div>
      )}
      {rules.method === 'recommendations' && (
        <div className="field field--short">
          <label htmlFor={`${id}-threshold`}>{t.voteSettings.threshold}</label>
          <input
            id={`${id}-threshold`}
            type="number"
            inputMode="numeric"
            min={1}
            max={100}
            value={rules.threshold}
            aria-describedby={`${id}-threshold-hint`}
            onChange={(e) => set({ threshold: clamp(Number(e.target.value), 1, 100) })}
          />
          <p className="field__hint" id={`${id}-threshold-hint`}>
            {t.voteSettings.thresholdHint}
          </p>
        </div>
      )}
      {rules.method === 'graded' && <GradedFields id={id} rules={rules} labels={value.labels} set={set} />}
      {resolved.source === 'recommendations' && (
        <div className="field">
          <label htmlFor={`${id}-list`}>{t.voteSettings.recommendations}</label>
          <p className="field__hint" id={`${id}-list-hint`}>
            {t.voteSettings.recommendationsHint}
          </p>
          <textarea
            id={`${id}-list`}
            rows={5}
            aria-describedby={`${id}-list-hint`}
            value={(value.recommendations ?? []).join('\n')}
            onChange={(e) => {
              const list = e.target.value.split('\n').map((l) => l.slice(0, LIMITS.recommendationLength));
              set({ recommendations: list.slice(0, LIMITS.recommendations) });
            }}
          />
        </div>
      )}
      <label className="choice">
        <input type="checkbox" checked={resolved.blind} onChange={(e) => set({ blind: e.target.checked })} />
        {t.voteSettings.blind}
      </label>
    </fieldset>
  );
}

/**
 * Graded support: the scale's labels (one per line, as typed, so a half-typed line stays), how
 * many of the first count as support, and the threshold.
 */
function GradedFields({
  id,
  rules,
  labels,
  set,
}: {
  id: string;
  rules: { labels: string[]; accept: number; threshold: number };
  labels: string[] | undefined;
  set: (patch: Partial<VoteSettings>) => void;
}) {
  const { t } = useI18n();
  const typed = labels ?? rules.labels;
  const levels = typed.map((l) => l.trim()).filter(Boolean);
  return (
    <>
      <div className="field">
        <label htmlFor={`${id}-labels`}>{t.voteSettings.labels}</label>
        <p className="field__hint" id={`${id}-labels-hint`}>
          {t.voteSettings.labelsHint}
        </p>
        <textarea
          id={`${id}-labels`}
          rows={Math.max(4, typed.length)}
          aria-describedby={`${id}-labels-hint`}
          value={typed.join('\n')}
          onChange={(e) => {
            const next = e.target.value
              .split('\n')
              .slice(0, LIMITS.gradeLevels)
              .map((l) => l.slice(0, LIMITS.gradeLabelLength));
            const count = next.map((l) => l.trim()).filter(Boolean).length;
            set({ labels: next, accept: Math.max(1, Math.min(rules.accept, count - 1)) });
          }}
        />
      </div>
      <div className="choice-row">
        <div className="field">
          <label htmlFor={`${id}-accept`}>{t.voteSettings.accept}</label>
          <select id={`${id}-accept`} value={Math.min(rules.accept, Math.max(1, levels.length - 1))} onChange={(e) => set({ accept: Number(e.target.value) })}>
            {levels.slice(0, -1).map((_, i) => (
              <option key={i} value={i + 1}>
                {t.voteSettings.acceptOption(levels.slice(0, i + 1))}
              </option>
            ))}
          </select>
        </div>
        <div className="field field--short">
          <label htmlFor={`${id}-graded-threshold`}>{t.voteSettings.gradedThreshold}</label>
          <input
            id={`${id}-graded-threshold`}
            type="number"
            inputMode="numeric"
            min={1}
            max={100}
            value={rules.threshold}
            aria-describedby={`${id}-graded-threshold-hint`}
            onChange={(e) => set({ threshold: clamp(Number(e.target.value), 1, 100) })}
          />
          <p className="field__hint" id={`${id}-graded-threshold-hint`}>
            {t.voteSettings.gradedThresholdHint}
          </p>
        </div>
      </div>
    </>
  );
}

/** What to send: empty lines of a typed list dropped, and nothing the server would refuse as empty. */
export function cleanVoteSettings(v: VoteSettings): VoteSettings {
  const recommendations = v.recommendations?.map((r) => r.trim()).filter(Boolean);
  const labels = v.labels?.map((l) => l.trim()).filter(Boolean);
  const { recommendations: _list, labels: _labels, ...rest } = v;
  return {
    ...rest,
    ...(recommendations && recommendations.length > 0 && { recommendations }),
    ...(labels && labels.length >= 2 && { labels, ...(rest.accept !== undefined && { accept: Math.min(rest.accept, labels.length - 1) }) }),
  };
}
