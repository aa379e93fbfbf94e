/**
 * ts-morph's runtime values for the templates, loaded with require(). ts-morph is CommonJS;
 * an ESM `import` of it makes Node read its ~1 MB bundle twice and scan it for export names
 * first (~0.1 s of a one-module regeneration on Node 20). Types still come from
 * `import type ... from 'ts-morph'`.
 */
import { createRequire } from 'node:module';
import type * as TsMorph from 'ts-morph';

const tsMorph = createRequire(import.meta.url)('ts-morph') as typeof TsMorph;

export const { IndentationText, NewLineKind, Project, QuoteKind, StructureKind } = tsMorph;
