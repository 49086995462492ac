import { useId, useState } from 'react';
import { useI18n } from '../i18n/I18n';

/** A read-only link with a copy button, for links people pass on or bookmark. */
export function CopyField({ label, value, hint }: { label: string; value: string; hint?: string }) {
  const { t } = useI18n();
  const id = useId();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      const input = document.getElementById(id) as HTMLInputElement | null;
      input?.select();
      document.execCommand('copy');
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <div className="copy-field">
        <input id={id} readOnly value={value} aria-describedby={hint ? `${id}-hint` : undefined} onFocus={(e) => e.target.select()} />
        <button type="button" className="button" onClick={copy}>
          {copied ? t.common.copied : t.common.copy}
        </button>
      </div>
    </div>
  );
}
