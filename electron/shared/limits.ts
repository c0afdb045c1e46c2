// Bounds on names and texts that arrive over IPC, so a huge value never reaches a handler (issue #12).
import { z } from 'zod';

/** A column name as a CSV header gives it: far longer than any real header, far shorter than an attack. */
export const MAX_COLUMN_NAME = 1024;
export const columnNameSchema = z.string().min(1).max(MAX_COLUMN_NAME, `A column name is at most ${MAX_COLUMN_NAME} characters.`);
export const MAX_SECTION_TITLE = 120;
export const MAX_SECTION_BODY = 20_000;
