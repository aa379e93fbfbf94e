/**
 * Overlay files (JSON): annotation overrides kept apart from third-party XML. (The other
 * source, `--annotate WHAT KEY VALUE` on the command line, is cli/annotate-args.ts.)
 *
 * Overlay file format (unknown keys are refused, every entry is located for diagnostics):
 * ```json
 * { "annotations": [
 *   { "target": "org.qemu.Display1.Console:Width",
 *     "name": "org.freedesktop.DBus.Property.EmitsChangedSignal", "value": "invalidates" }
 * ] }
 * ```
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Diagnostics } from '../generator/diagnostics.js';
import type { AnnotationOverride } from '../generator/overlay.js';
import type { Location } from '../spec/model.js';
import { JsonSyntaxError, type JsonValue, parseJsonLocated } from './json-located.js';

const ENTRY_KEYS = ['target', 'name', 'value'] as const;

/** Reads one overlay file; problems become located DBUS072 errors. */
export function loadOverlayFile(
  file: string,
  diags: Diagnostics,
  base = process.cwd(),
): AnnotationOverride[] {
  let text: string;
  try {
    text = readFileSync(resolve(base, file), 'utf8');
  } catch (e) {
    diags.error('DBUS090', `cannot read overlay file: ${(e as Error).message}`, at(file));
    return [];
  }
  return parseOverlay(file, text, diags);
}

/** Parses an overlay file's JSON text into overrides, with located errors. */
export function parseOverlay(file: string, text: string, diags: Diagnostics): AnnotationOverride[] {
  let root: JsonValue;
  try {
    root = parseJsonLocated(file, text);
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    diags.error('DBUS072', e.message, e.location);
    return [];
  }
  if (root.kind !== 'object') {
    diags.error('DBUS072', 'an overlay file is an object: { "annotations": [...] }', root.location);
    return [];
  }
  const out: AnnotationOverride[] = [];
  for (const entry of root.entries) {
    if (entry.key === '$schema') continue;
    if (entry.key !== 'annotations') {
      diags.error(
        'DBUS072',
        `unknown key "${entry.key}" (expected "annotations")`,
        entry.keyLocation,
      );
      continue;
    }
    if (entry.value.kind !== 'array') {
      diags.error('DBUS072', '"annotations" must be an array', entry.value.location);
      continue;
    }
    for (const item of entry.value.items) {
      const o = readEntry(item, diags);
      if (o !== undefined) out.push(o);
    }
  }
  return out;
}

function readEntry(item: JsonValue, diags: Diagnostics): AnnotationOverride | undefined {
  if (item.kind !== 'object') {
    diags.error('DBUS072', 'an annotation entry is { "target", "name", "value" }', item.location);
    return undefined;
  }
  const fields: Partial<Record<(typeof ENTRY_KEYS)[number], string>> = {};
  let ok = true;
  for (const e of item.entries) {
    if (!(ENTRY_KEYS as readonly string[]).includes(e.key)) {
      diags.error(
        'DBUS072',
        `unknown key "${e.key}" in an annotation entry (expected target, name, value)`,
        e.keyLocation,
      );
      ok = false;
    } else if (e.value.kind !== 'string') {
      diags.error('DBUS072', `"${e.key}" must be a string`, e.value.location);
      ok = false;
    } else {
      fields[e.key as (typeof ENTRY_KEYS)[number]] = e.value.value;
    }
  }
  for (const k of ENTRY_KEYS) {
    if (ok && fields[k] === undefined) {
      diags.error('DBUS072', `annotation entry lacks "${k}"`, item.location);
      ok = false;
    }
  }
  if (!ok) return undefined;
  return {
    target: fields.target!,
    name: fields.name!,
    value: fields.value!,
    location: item.location,
  };
}

function at(file: string): Location {
  return { file, line: 1, column: 1 };
}
