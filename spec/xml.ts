/**
 * The XML text rules every writer in the package shares (introspection XML, dbus-daemon
 * `<busconfig>` documents): one escaper for attribute values and element text, one for
 * comments, and the `<busconfig>` document shell. Dependency-free, so any layer may import it.
 */

/**
 * Text safe inside a double-quoted XML attribute value or as element text, control
 * characters included: a raw tab, CR or LF in an attribute value would read back as a space
 * (attribute-value normalisation), so they are written as character references.
 *
 * @example
 * ```ts
 * `<allow own="${escapeXml(name)}"/>`;
 * ```
 */
export function escapeXml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;')
    .replace(/\t/g, '&#9;')
    .replace(/\r/g, '&#13;');
}

/** Text safe inside `<!-- -->`: every run of hyphens is spaced out (`--` becomes `- -`). */
export function xmlCommentText(s: string): string {
  return s.replace(/-{2,}/g, (m) => m.split('').join(' '));
}

/**
 * A complete dbus-daemon configuration document: the DOCTYPE dbus-daemon expects, an
 * optional leading comment, and `body` (already-escaped element lines) inside `<busconfig>`.
 * Ends with a newline.
 */
export function busconfigDocument(body: readonly string[], comment?: string): string {
  return [
    '<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"',
    ' "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">',
    ...(comment === undefined ? [] : [`<!--\n${xmlCommentText(comment)}\n-->`]),
    '<busconfig>',
    ...body,
    '</busconfig>',
    '',
  ].join('\n');
}
