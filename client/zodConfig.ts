/**
 * zod would probe once whether it may compile parsers with Function(); the app's CSP forbids
 * that (no 'unsafe-eval'), and the probe would show up as a CSP violation on every page.
 * Imported first by main.tsx, before any schema is used.
 */
import { z } from 'zod';

z.config({ jitless: true });
