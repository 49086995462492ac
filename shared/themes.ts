/** Themes that points are clustered under. */

/** The three overarching themes of a typical thematafel report (see DOMAIN.md). */
export const DEFAULT_THEME_LABELS = ['Communicatie', 'Samenwerking', 'Participatie'] as const;

/**
 * A stable id for a theme label: lower case, accents stripped, non-letters folded to '-'.
 * Ids are what points store, so a later spelling fix of a label does not orphan its points.
 */
export function themeId(label: string): string {
  const slug = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug || 'thema';
}

/** Ids for a list of labels, made unique where two labels fold to the same slug. */
export function themesFromLabels(labels: readonly string[]): { id: string; label: string }[] {
  const seen = new Map<string, number>();
  return labels.map((label) => {
    const base = themeId(label);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return { id: n === 1 ? base : `${base}-${n}`, label };
  });
}
