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

/**
 * Decode a body: BOM first, then the Content-Type charset, then a `<meta>` charset, else UTF-8.
 * (WHATWG maps iso-8859-1 to windows-1252, which is what such pages mean.)
 */
export function decodeBody(bytes: Uint8Array, contentType: string | undefined): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const isHtml = !contentType || /html|xml/i.test(contentType);
  const decoder = decoderFor(fromContentType(contentType)) ?? (isHtml ? decoderFor(fromMeta(bytes)) : undefined) ?? new TextDecoder('utf-8');
  return decoder.decode(bytes);
}
