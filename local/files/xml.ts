// XML text for names that come from disk. A name can hold characters XML 1.0 cannot carry at all (control
// characters); Azure Files then sends `<Name Encoded="true">` with the name percent-encoded, which the SDK
// decodes. Everything else is plain escaped text. (Names read from disk never hold lone surrogates: Node
// decodes them as UTF-8, turning bad bytes into U+FFFD.)

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

// Named entities only: the SDK's parser (fast-xml-parser) leaves numeric references like `&#38;` undecoded.
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

// Characters outside the XML 1.0 Char production (surrogates aside, see above), plus CR, which XML parsers
// turn into LF and so would change the name.
// biome-ignore lint/suspicious/noControlCharactersInRegex: it matches the control characters XML forbids
const NOT_XML_CHAR = /[\u0000-\u0008\u000B-\u001F\uFFFE\uFFFF]/;

/** `<tag>name</tag>`, or `<tag Encoded="true">percent-encoded</tag>` when XML cannot carry the name. */
export function nameElement(tag: string, name: string): string {
  if (!NOT_XML_CHAR.test(name)) return `<${tag}>${escapeXml(name)}</${tag}>`;
  return `<${tag} Encoded="true">${encodeURIComponent(name)}</${tag}>`;
}
