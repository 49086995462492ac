import { useI18n } from '../i18n/I18n';

/** Switches between Dutch and English; the button names the language it switches to, in that language. */
export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  const next = lang === 'nl' ? 'en' : 'nl';
  return (
    <button type="button" className="button button--quiet lang-switch" lang={next} onClick={() => setLang(next)}>
      {t.lang.switchTo}
    </button>
  );
}
