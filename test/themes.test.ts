import { describe, expect, it } from 'vitest';
import { DEFAULT_THEME_LABELS, themeId, themesFromLabels } from '../shared/themes.js';

describe('themeId', () => {
  it('lower-cases and keeps plain words', () => {
    expect(themeId('Communicatie')).toBe('communicatie');
  });

  it('strips accents', () => {
    expect(themeId('Coördinatie')).toBe('coordinatie');
    expect(themeId('Éénheid & Privé')).toBe('eenheid-prive');
    expect(themeId('Ĳsselmeer')).toBe('ijsselmeer');
  });

  it('folds runs of non-letters into one dash and trims dashes', () => {
    expect(themeId('  Wonen, werken   & leven!  ')).toBe('wonen-werken-leven');
    expect(themeId('--Zorg--')).toBe('zorg');
    expect(themeId('Thema 2')).toBe('thema-2');
  });

  it("falls back to 'thema' when nothing usable is left", () => {
    expect(themeId('')).toBe('thema');
    expect(themeId('   ')).toBe('thema');
    expect(themeId('!!!')).toBe('thema');
    expect(themeId('日本')).toBe('thema');
  });
});

describe('themesFromLabels', () => {
  it('gives the default labels their plain ids', () => {
    expect(themesFromLabels(DEFAULT_THEME_LABELS)).toEqual([
      { id: 'communicatie', label: 'Communicatie' },
      { id: 'samenwerking', label: 'Samenwerking' },
      { id: 'participatie', label: 'Participatie' },
    ]);
  });

  it('keeps labels as typed', () => {
    expect(themesFromLabels(['Privé & Zorg'])).toEqual([{ id: 'prive-zorg', label: 'Privé & Zorg' }]);
  });

  it('makes ids unique when labels fold to the same slug', () => {
    const themes = themesFromLabels(['Zorg', 'zorg!', 'Zòrg', 'Wonen']);
    expect(themes.map((t) => t.id)).toEqual(['zorg', 'zorg-2', 'zorg-3', 'wonen']);
    expect(new Set(themes.map((t) => t.id)).size).toBe(themes.length);
  });

  it("numbers labels that all fall back to 'thema'", () => {
    expect(themesFromLabels(['', '???', '日本']).map((t) => t.id)).toEqual(['thema', 'thema-2', 'thema-3']);
  });

  it('returns an empty list for no labels', () => {
    expect(themesFromLabels([])).toEqual([]);
  });
});
