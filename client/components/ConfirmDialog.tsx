/**
 * Asks before a move that is hard to take back (jumping steps, ending the session), in the
 * browser's own modal dialog: focus is kept inside it and Escape cancels.
 */
import { useCallback, useRef, useState, type ReactNode } from 'react';
import { useI18n } from '../i18n/I18n';

interface Question {
  text: string;
  confirm: string;
  resolve: (yes: boolean) => void;
}

export function useConfirm(): [ReactNode, (text: string, confirm: string) => Promise<boolean>] {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const [question, setQuestion] = useState<Question | null>(null);

  const ask = useCallback(
    (text: string, confirm: string) =>
      new Promise<boolean>((resolve) => {
        setQuestion({ text, confirm, resolve });
        // Opened after React has rendered the question into it.
        queueMicrotask(() => requestAnimationFrame(() => ref.current?.showModal()));
      }),
    [],
  );
  const answer = (yes: boolean) => {
    ref.current?.close();
    question?.resolve(yes);
    setQuestion(null);
  };

  const dialog = (
    <dialog ref={ref} className="confirm" aria-labelledby="confirm-text" onCancel={() => answer(false)}>
      <p id="confirm-text">{question?.text}</p>
      <div className="confirm__buttons">
        {/* eslint-disable-next-line jsx-a11y/no-autofocus -- a confirm dialog opens on the safe answer, so Enter never confirms by accident */}
        <button type="button" className="button" onClick={() => answer(false)} autoFocus>
          {t.console.cancel}
        </button>
        <button type="button" className="button button--primary" onClick={() => answer(true)}>
          {question?.confirm}
        </button>
      </div>
    </dialog>
  );
  return [dialog, ask];
}
