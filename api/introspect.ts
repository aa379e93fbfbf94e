/**
 * The programmatic face of `dbus-codegen-ts introspect`. Loaded lazily, so importing the
 * generator API does not load the D-Bus runtime (dbus-next) unless introspection is used.
 *
 * @example
 * ```ts
 * import { introspect, writeIntrospected } from 'dbus-codegen-ts';
 * const r = await introspect({ address: 'unix:path=/run/vm1/bus.sock', dest: 'org.qemu', path: '/org/qemu/Display1', recursive: true });
 * await writeIntrospected('interfaces', r.interfaces);
 * ```
 */
import type {
  IntrospectedInterface,
  IntrospectOptions,
  IntrospectResult,
} from '../build/introspect.js';

export type { IntrospectedInterface, IntrospectOptions, IntrospectResult };

/** Connects, introspects `options.dest` (walking children with `recursive`), closes. */
export async function introspect(options: IntrospectOptions): Promise<IntrospectResult> {
  return (await import('../build/introspect.js')).introspect(options);
}

/** Writes `<dir>/<interface>.xml` for each interface whose content changed; returns those names. */
export async function writeIntrospected(
  dir: string,
  interfaces: readonly IntrospectedInterface[],
): Promise<string[]> {
  return (await import('../build/introspect.js')).writeInterfaces(dir, interfaces);
}
