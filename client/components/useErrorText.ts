import { useI18n } from '../i18n/I18n';

/** Turns an error code from the server (or 'network'/'timeout') into a sentence for the user. */
export function useErrorText(): (code: string | undefined | null) => string {
  const { t } = useI18n();
  return (code) => (code && code in t.errors ? t.errors[code as keyof typeof t.errors] : t.errors.internal);
}
