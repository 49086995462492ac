/**
 * Colours of a graded-support scale, best level first: one diverging palette from blue (support)
 * through grey to orange (objection), which stays readable with the common colour-vision
 * deficiencies. The projector, the report page and every report format take them from here, so
 * a level has the same colour everywhere.
 */
const PALETTE = ['#08519c', '#3182bd', '#9ecae1', '#c8c8c8', '#fdae6b', '#e6550d', '#a63603'] as const;

/** `levels` colours spread evenly over the palette, so both ends are always the strongest. */
export function scaleColors(levels: number): string[] {
  if (levels <= 1) return [PALETTE[0]];
  const last = PALETTE.length - 1;
  return Array.from({ length: levels }, (_, i) => PALETTE[Math.round((i * last) / (levels - 1))]!);
}
