/**
 * The shared corpus (../shared/corpus, real-world introspection XML) as test cases: each file
 * with the options it needs. Used by test/unit/corpus.test.ts and test/bench/generate.bench.ts.
 *
 * Files that need options, and why (the same options a user of those files would pass):
 * - qemu/dbus-display1.xml: `<?if $(env.HOST_OS) ...?>` blocks (linux and windows).
 * - mutter a11y/InputCapture/RemoteDesktop, flatpak Authenticator: `direction="in"` on signal
 *   arguments (DBUS041, an error by the spec): `--relax DBUS041` reads them as "out".
 * - glib/test-codegen.xml: one-element interface names (DBUS030): `--relax DBUS030`.
 * - zbus/sample_object0.xml needs nothing: its child node named with "-" is only a warning
 *   (DBUS034), since node names never enter the generated code.
 * - polkit/*: not well-formed XML (raw "<" in attribute values): expected to fail.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Code } from '../../generator/diagnostics.js';

export const repoRoot = resolve(import.meta.dirname, '../..');
export const corpusDir = resolve(repoRoot, '../shared/corpus');
export const corpusPresent = existsSync(corpusDir);

export interface CorpusCase {
  /** `<project>/<file>.xml`, relative to {@link corpusDir}. */
  readonly file: string;
  readonly defines: Record<string, string>;
  readonly relax: Code[];
  /** Not well-formed: must give located errors. */
  readonly malformed: boolean;
}

const RELAX: Readonly<Record<string, Code[]>> = {
  'mutter/org.freedesktop.a11y.xml': ['DBUS041'],
  'mutter/org.gnome.Mutter.InputCapture.xml': ['DBUS041'],
  'mutter/org.gnome.Mutter.RemoteDesktop.xml': ['DBUS041'],
  'flatpak/org.freedesktop.Flatpak.Authenticator.xml': ['DBUS041'],
  'glib/test-codegen.xml': ['DBUS030'],
};

export const MALFORMED: readonly string[] = [
  'polkit/org.freedesktop.PolicyKit1.AuthenticationAgent.xml',
  'polkit/org.freedesktop.PolicyKit1.Authority.xml',
];

/** Every corpus file, sorted; display1 once per HOST_OS when `bothHostOs`. */
export function corpusCases(bothHostOs = true): CorpusCase[] {
  const files = readdirSync(corpusDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('_'))
    .flatMap((d) =>
      readdirSync(join(corpusDir, d.name))
        .filter((f) => f.endsWith('.xml'))
        .map((f) => `${d.name}/${f}`),
    )
    .sort();
  return files.flatMap((file) => {
    const relax = RELAX[file] ?? [];
    const malformed = MALFORMED.includes(file);
    if (file === 'qemu/dbus-display1.xml') {
      const oses = bothHostOs ? ['linux', 'windows'] : ['linux'];
      return oses.map((os) => ({ file, defines: { HOST_OS: os }, relax, malformed }));
    }
    return [{ file, defines: {}, relax, malformed }];
  });
}
