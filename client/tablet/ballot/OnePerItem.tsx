/**
 * A ballot where each item gets one choice out of a few (recommendations: for, against or
 * neutral; graded support: a level of the scale): per item a group of large options, the
 * chosen one filled and marked. An item left without a choice stays off the ballot.
 */
import type { ReactNode } from 'react';
import type { VoteItem } from '../../../shared/protocol';

export interface Option<V extends string | number> {
  value: V;
  /** Classes of the option's label. */
  className: string;
  /** What the option shows: its words, with a mark or a colour. */
  content: ReactNode;
}

interface Props<V extends string | number> {
  items: VoteItem[];
  options: Option<V>[];
  chosen: (itemId: string) => V | undefined;
  onChoose: (itemId: string, value: V) => void;
  open: boolean;
  /** "Advies 3", "Punt 3". */
  number: (n: number) => string;
  /** "2 van 5 adviezen beantwoord". */
  answered: string;
  /** The options' container, laid out per method, and the class of the chosen option. */
  groupClassName: string;
  chosenClassName: string;
  /** Name prefix of each item's radio group. */
  name: string;
}

export function OnePerItem<V extends string | number>({
  items,
  options,
  chosen,
  onChoose,
  open,
  number,
  answered,
  groupClassName,
  chosenClassName,
  name,
}: Props<V>) {
  return (
    <>
      <p className="ballot__left" aria-live="polite">
        {answered}
      </p>
      <ol className="ballot__items recommendations">
        {items.map((item, index) => {
          const choice = chosen(item.id);
          return (
            <li key={item.id} className={`ballot-item recommendation${choice !== undefined ? ' ballot-item--chosen' : ''}`}>
              <fieldset className="recommendation__field">
                <legend className="recommendation__text">
                  <span className="recommendation__number">{number(index + 1)}</span>
                  {item.text}
                </legend>
                <div className={groupClassName}>
                  {options.map((o) => (
                    <label key={o.value} className={`${o.className}${choice === o.value ? ` ${chosenClassName}` : ''}`}>
                      <input
                        type="radio"
                        name={`${name}-${item.id}`}
                        value={o.value}
                        checked={choice === o.value}
                        disabled={!open}
                        onChange={() => onChoose(item.id, o.value)}
                      />
                      {o.content}
                    </label>
                  ))}
                </div>
              </fieldset>
            </li>
          );
        })}
      </ol>
    </>
  );
}
