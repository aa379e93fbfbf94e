/**
 * Name-shape predicates for the design-guideline lint (the D-Bus API Design Guidelines on
 * versioning and naming conventions). Pure functions over wire names; syntax validity is `check`'s job, so these only
 * judge names that are already legal.
 */

/** Versioning guideline: some element ends in a major version number (`MusicPlayer1`, `Display1`). */
export function hasVersionedElement(elements: readonly string[]): boolean {
  return elements.some((e) => /[0-9]$/.test(e));
}

export function interfaceElements(name: string): string[] {
  return name.split('.');
}

/** Object path elements; `/` has none. */
export function pathElements(path: string): string[] {
  return path.split('/').filter((e) => e !== '');
}

/**
 * CamelCase as the naming guideline means it: starts with an upper-case letter, no underscores, no
 * hyphens. Acronyms (`UUID`, `ConsoleIDs`) are accepted: the guideline is about word
 * separators, not about how many capitals an acronym has.
 */
export function isCamelCase(name: string): boolean {
  return /^[A-Z][A-Za-z0-9]*$/.test(name);
}

/** `lowercase_with_underscores` (the naming guideline for argument names): lower-case letters, digits, single `_`. */
export function isSnakeCase(name: string): boolean {
  return /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/.test(name);
}

/** A reversed-DNS first element is lower case (`org`, `com`, `io`, `fi`). */
export function isLowerCaseElement(element: string): boolean {
  return /^[a-z_][a-z0-9_]*$/.test(element);
}

/** Suggests a CamelCase spelling for `get_items` / `get-items` / `getItems`. */
export function toCamelCase(name: string): string {
  return name
    .split(/[_-]+/)
    .filter((p) => p !== '')
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('');
}

/** Suggests a snake_case spelling for `widthMM` / `WidthMm` / `width-mm`. */
export function toSnakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[-\s]+/g, '_')
    .replace(/_+/g, '_')
    .toLowerCase();
}

/**
 * Interfaces QEMU itself defines (backends/dbus-vmstate1.xml, ui/dbus-display1.xml). A helper
 * implements or calls these; it does not invent new names under `org.qemu.`.
 */
export function isQemuInterface(name: string): boolean {
  return (
    name === 'org.qemu.VMState1' ||
    name === 'org.qemu.Display1' ||
    name.startsWith('org.qemu.Display1.')
  );
}

/** Bus names QEMU's helpers and QEMU use (`org.qemu.VMState1` is shared by every helper). */
export function isQemuBusName(name: string): boolean {
  return name === 'org.qemu' || isQemuInterface(name);
}

/** `prefix` owns `name` when it equals it or is a dotted ancestor of it. */
export function isUnder(name: string, prefix: string): boolean {
  return name === prefix || name.startsWith(`${prefix}.`);
}
