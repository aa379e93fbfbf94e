/**
 * Doc text -> Markdown for the `docs` command: dedents XML comment text, turns the reference
 * forms found in real interface XML into links between the pages of one run, and renders the
 * reStructuredText bits QEMU's comments use (`.. note::`). Plain string building, no ts-morph.
 *
 * Reference forms understood (X is an interface name, M a member):
 * - Sphinx dbus domain (QEMU): :dbus:iface:`X`, :dbus:meth:`X.M`, :dbus:sig:`X.M`,
 *   :dbus:prop:`X.M`, and the same with a bare `M` meaning the current interface;
 * - gtk-doc (gdbus-codegen): #X, X.M(), #X::M, #X:M;
 * - a plain mention of an interface name generated in the same run.
 */

/** What the text can link to: interface name -> its page and its members' anchors. */
export interface LinkTargets {
  /** Page file for an interface, or undefined when it is not part of this run. */
  page(iface: string): string | undefined;
  /** Anchor of a member on its page (`method-load`), or undefined when there is none. */
  anchor(iface: string, member: string, kind?: MemberKind): string | undefined;
  /** All interface names of the run, longest first (plain-mention linking). */
  readonly names: readonly string[];
}

export type MemberKind = 'method' | 'signal' | 'property';

/** Strips the common indentation and the leading/trailing blank lines. */
export function dedent(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').replace(/\t/g, '    ').split('\n');
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines
    .map((l) => l.slice(cut).replace(/\s+$/, ''))
    .join('\n')
    .replace(/^\n+|\n+$/g, '');
}

/** Full rendering of one doc text for a page about `current`. */
export function renderDocText(text: string, current: string, links: LinkTargets): string {
  return linkText(renderNotes(dedent(text)), current, links);
}

/** `.. note::` + indented body -> a Markdown blockquote. */
function renderNotes(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\s*)\.\. (note|warning|important|tip)::\s*(.*)$/.exec(lines[i]!);
    if (!m) {
      out.push(lines[i]!);
      continue;
    }
    const label = m[2]![0]!.toUpperCase() + m[2]!.slice(1);
    const body: string[] = m[3] ? [m[3]] : [];
    while (i + 1 < lines.length && (lines[i + 1]!.trim() === '' || /^\s/.test(lines[i + 1]!))) {
      body.push(lines[++i]!);
    }
    while (body.length && body[body.length - 1]!.trim() === '') body.pop();
    const inner = dedent(body.join('\n')).split('\n');
    out.push(`> **${label}:**`, '>', ...inner.map((l) => (l === '' ? '>' : `> ${l}`)));
    if (i + 1 < lines.length) out.push('');
  }
  return out.join('\n');
}

const ROLE_KIND: Record<string, MemberKind | 'iface'> = {
  iface: 'iface',
  meth: 'method',
  sig: 'signal',
  prop: 'property',
};

/** Replaces references with links; code spans are left alone. */
export function linkText(text: string, current: string, links: LinkTargets): string {
  // Sphinx roles first: they contain backticks, which would otherwise look like code spans.
  // `~X.Y.M` (Sphinx) shows only the last element.
  const roled = text.replace(
    /:dbus:(iface|meth|sig|prop):`(~?)([^`]+)`/g,
    (_, role: string, tilde: string, ref: string) =>
      roleLink(
        ROLE_KIND[role]!,
        ref,
        current,
        links,
        tilde ? ref.slice(ref.lastIndexOf('.') + 1) : ref,
      ),
  );
  return splitCode(roled)
    .map((part) => (part.code ? part.text : linkPlain(part.text, current, links)))
    .join('');
}

function roleLink(
  kind: MemberKind | 'iface',
  ref: string,
  current: string,
  links: LinkTargets,
  label: string,
): string {
  if (kind === 'iface') return link(label, links.page(ref), undefined, undefined);
  const dot = ref.lastIndexOf('.');
  const iface = dot === -1 ? current : ref.slice(0, dot);
  const member = dot === -1 ? ref : ref.slice(dot + 1);
  return link(
    label,
    links.page(iface),
    links.anchor(iface, member, kind),
    current === iface ? iface : undefined,
  );
}

/** `[label](page#anchor)`; on the current page just `#anchor`; `` `label` `` when unknown. */
function link(
  label: string,
  page: string | undefined,
  anchor: string | undefined,
  samePageIface: string | undefined,
): string {
  if (page === undefined) return `\`${label}\``;
  const href =
    samePageIface !== undefined && anchor !== undefined
      ? `#${anchor}`
      : anchor
        ? `${page}#${anchor}`
        : page;
  return `[\`${label}\`](${href})`;
}

/** Splits on code spans (`` `x` ``, ``` ``x`` ```) and on links already made. */
function splitCode(text: string): { code: boolean; text: string }[] {
  const out: { code: boolean; text: string }[] = [];
  const re = /\[`[^`]*`\]\([^)]*\)|(`+)[^`]*?\1|<[^>\n]+>/g;
  let last = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m.index > last) out.push({ code: false, text: text.slice(last, m.index) });
    out.push({ code: true, text: m[0] });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ code: false, text: text.slice(last) });
  return out;
}

/** gtk-doc references and plain interface names in prose. */
function linkPlain(text: string, current: string, links: LinkTargets): string {
  if (links.names.length === 0) return text;
  const names = links.names.map(escapeRe).join('|');
  // #X::M, #X:M, X.M(), #X, or a bare X; X must not be part of a longer name or a path.
  const re = new RegExp(
    `(?<![\\w./-])(#?)(${names})(?:(::|:|\\.)([A-Za-z_]\\w*)(\\(\\))?)?(?![\\w-]|\\.\\w)`,
    'g',
  );
  return text.replace(
    re,
    (whole, hash: string, iface: string, sep?: string, member?: string, parens?: string) => {
      const kind: MemberKind | undefined =
        sep === '::'
          ? 'signal'
          : sep === ':'
            ? 'property'
            : sep === '.'
              ? parens
                ? 'method'
                : undefined
              : undefined;
      const anchor = member !== undefined ? links.anchor(iface, member, kind) : undefined;
      if (member !== undefined && anchor === undefined) {
        // `X.Unknown` or `X: text`: link the interface, keep the rest as written.
        const rest = whole.slice(hash.length + iface.length);
        return `${link(iface, links.page(iface), undefined, undefined)}${rest}`;
      }
      if (iface === current && anchor === undefined) return whole; // no self-links
      const label = `${iface}${sep ?? ''}${member ?? ''}${parens ?? ''}`;
      return link(label, links.page(iface), anchor, iface === current ? iface : undefined);
    },
  );
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Text safe inside a Markdown table cell: one line, pipes escaped. */
export function cell(text: string): string {
  return text
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\|/g, '\\|')
    .trim();
}

/** The first sentence (or line) of a doc text, for the table of contents. */
export function firstSentence(text: string): string {
  const para = dedent(text).split(/\n\s*\n/)[0] ?? '';
  const flat = para.replace(/\s*\n\s*/g, ' ').trim();
  const m = /^(.+?[.!?])(\s|$)/.exec(flat);
  return m ? m[1]! : flat;
}
