/** Find the charset label in a Content-Type header value. */
function fromContentType(contentType: string | undefined): string | undefined {
  const m = /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType ?? '');
  return m?.[1]?.toLowerCase();
}

/** Sniff `<meta charset>` or `<meta http-equiv=content-type content=...charset=>` in the first 1024 bytes. */
function fromMeta(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  const m = /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head);
  return m?.[1]?.toLowerCase();
}

function decoderFor(label: string | undefined): TextDecoder | undefined {
  if (!label) return undefined;
  try {
    return new TextDecoder(label);
  } catch {
    return undefined; // an unknown label: fall through to the next clue
  }
}

/** Decode as UTF-8 when the bytes are valid UTF-8; undefined when they are not. */
function strictUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Decode a body: BOM first, then the Content-Type charset, then a `<meta>` charset, else sniffed:
 * UTF-8 when the bytes are valid UTF-8, otherwise windows-1252 (what undeclared Norwegian pages
 * are in practice; it maps every byte, so no U+FFFD). Labels follow the WHATWG Encoding Standard,
 * as `TextDecoder` does: iso-8859-1, latin1 and us-ascii all mean windows-1252 (0x80–0x9F are
 * € ‚ ƒ „ … and so on, not C1 control characters). A declared UTF-8 page with invalid bytes is
 * decoded as windows-1252 too, rather than storing U+FFFD.
 */
export function decodeBody(bytes: Uint8Array, contentType: string | undefined): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return strictUtf8(bytes.subarray(3)) ?? windows1252(bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const isHtml = !contentType || /html|xml/i.test(contentType);
  const decoder = decoderFor(fromContentType(contentType)) ?? (isHtml ? decoderFor(fromMeta(bytes)) : undefined);
  if (decoder?.encoding === 'windows-1252') return windows1252(bytes);
  if (decoder && decoder.encoding !== 'utf-8') return decoder.decode(bytes);
  return strictUtf8(bytes) ?? windows1252(bytes);
}

/**
 * 0x80–0x9F in windows-1252, per the WHATWG Encoding Standard's index (0x81, 0x8D, 0x8F, 0x90
 * and 0x9D map to the C1 code points of the same value). Written out because Node 20's
 * `TextDecoder('windows-1252')` decodes these bytes as ISO-8859-1 C1 controls (measured on
 * v20.20: 0x93 → U+0093, not “), which is how « » turned into U+0093/U+0094 in stored text.
 */
const WINDOWS_1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/** Decode windows-1252 exactly: every byte is a character (ISO-8859-1 with 0x80–0x9F from the table above). */
export function windows1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return latin1.replace(/[\u0080-\u009f]/g, (c) => WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80]!);
}
