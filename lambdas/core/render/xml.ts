/**
 * The one small XML writer behind RSS and Atom: a text escaper, an attribute escaper, CDATA and
 * element helpers that build strings. Input text is already free of characters XML 1.0 forbids
 * (buildFeedContext strips them once per article), so nothing here rescans a finished document.
 */

const TEXT_SPECIAL = /[&<>]/;
const ATTR_SPECIAL = /[&<>"\t\n\r]/;
const ATTR_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };

/** Element text: `&`, `<` and `>` (so `]]>` can never appear). */
export function escapeXmlText(value: string): string {
  if (!TEXT_SPECIAL.test(value)) return value;
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A double-quoted attribute value; whitespace characters kept as references so they survive normalization. */
export function escapeXmlAttribute(value: string): string {
  if (!ATTR_SPECIAL.test(value)) return value;
  return value.replace(/[&<>"\t\n\r]/g, (c) => ATTR_ESCAPES[c]!);
}

/** A CDATA section; a `]]>` inside is split across two sections. */
export function cdata(value: string): string {
  return `<![CDATA[${value.includes(']]>') ? value.replace(/]]>/g, ']]]]><![CDATA[>') : value}]]>`;
}

type Attributes = Record<string, string | number | undefined>;

function attributes(attrs: Attributes): string {
  let out = '';
  for (const name in attrs) {
    const value = attrs[name];
    if (value !== undefined) out += ` ${name}="${typeof value === 'number' ? value : escapeXmlAttribute(value)}"`;
  }
  return out;
}

/** `<name attrs>text</name>`, the text escaped. */
export function textElement(name: string, text: string, attrs?: Attributes): string {
  return `<${name}${attrs ? attributes(attrs) : ''}>${escapeXmlText(text)}</${name}>`;
}

/** `<name attrs/>` */
export function emptyElement(name: string, attrs: Attributes): string {
  return `<${name}${attributes(attrs)}/>`;
}

/** `<name attrs>children</name>`; children are already-written XML. */
export function element(name: string, attrs: Attributes | undefined, children: string): string {
  return `<${name}${attrs ? attributes(attrs) : ''}>${children}</${name}>`;
}

/** The XML declaration and, when given, the xml-stylesheet processing instruction. */
export function prolog(stylesheet: string | undefined): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${stylesheet ? `<?xml-stylesheet href="${escapeXmlAttribute(stylesheet)}" type="text/xsl"?>\n` : ''}`;
}

/** ` xmlns:prefix="uri"` for each namespace, in the order given. */
export function namespaceDeclarations(namespaces: readonly { prefix: string; uri: string }[]): string {
  return namespaces.map((ns) => ` xmlns:${ns.prefix}="${escapeXmlAttribute(ns.uri)}"`).join('');
}
