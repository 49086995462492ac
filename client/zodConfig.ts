/**
 * zod would probe once whether it may compile parsers with Function(); the app's CSP forbids
 * that (no 'unsafe-eval'), and the probe would show up as a CSP violation on every page.
 * Imported first by main.tsx, before any schema is used. A schema built when its module loads
 * decides then, so a module the first page shares with a lazy chunk (which the bundler may
 * evaluate before main.tsx's own code) must not build schemas at load time unless it is only
 * reached through main.tsx's imports after this one; e2e/security.spec.ts catches a slip.
 */
import { z } from 'zod';

z.config({ jitless: true });
