import { describe, expect, it } from 'vitest';
import { decodeBody, windows1252 } from '../../../src/pipeline/fetch/charset.js';
import { fetchHttp } from '../../../src/pipeline/fetch/index.js';
import { startServer } from '../../helpers/loopback.js';

/** 0x80–0x9F as the WHATWG Encoding Standard's windows-1252 index has them. */
const HIGH: [number, string][] = [
  [0x80, '€'],
  [0x81, '\u0081'],
  [0x82, '‚'],
  [0x83, 'ƒ'],
  [0x84, '„'],
  [0x85, '…'],
  [0x86, '†'],
  [0x87, '‡'],
  [0x88, 'ˆ'],
  [0x89, '‰'],
  [0x8a, 'Š'],
  [0x8b, '‹'],
  [0x8c, 'Œ'],
  [0x8d, '\u008d'],
  [0x8e, 'Ž'],
  [0x8f, '\u008f'],
  [0x90, '\u0090'],
  [0x91, '‘'],
  [0x92, '’'],
  [0x93, '“'],
  [0x94, '”'],
  [0x95, '•'],
  [0x96, '–'],
  [0x97, '—'],
  [0x98, '˜'],
  [0x99, '™'],
  [0x9a, 'š'],
  [0x9b, '›'],
  [0x9c, 'œ'],
  [0x9d, '\u009d'],
  [0x9e, 'ž'],
  [0x9f, 'Ÿ'],
];

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('decodeBody', () => {
  it('decodes every byte 0x80–0x9F of windows-1252 exactly, declared in the header, in <meta>, or as iso-8859-1', () => {
    for (const [byte, char] of HIGH) {
      const page = bytes('<p>', [byte], '</p>');
      expect(decodeBody(page, 'text/html; charset=windows-1252'), `0x${byte.toString(16)}`).toBe(`<p>${char}</p>`);
      expect(decodeBody(page, 'text/html; charset=iso-8859-1'), `0x${byte.toString(16)}`).toBe(`<p>${char}</p>`);
      expect(decodeBody(bytes('<meta charset=iso-8859-1><p>', [byte], '</p>'), 'text/html')).toBe(
        `<meta charset=iso-8859-1><p>${char}</p>`,
      );
    }
    expect(windows1252(Uint8Array.from([0xe6, 0xf8, 0xe5, 0xc6, 0xd8, 0xc5]))).toBe('æøåÆØÅ');
  });

  it('sniffs an undeclared page: UTF-8 when it decodes cleanly, else windows-1252; never U+FFFD', () => {
    expect(decodeBody(Buffer.from('<p>Søknad – «stønad»</p>', 'utf8'), 'text/html')).toBe('<p>Søknad – «stønad»</p>');
    const cp1252 = bytes('<p>S', [0xf8], 'knad ', [0x96], ' ', [0x93], 'st', [0xf8], 'nad', [0x94], ' ', [0x80], '</p>');
    expect(decodeBody(cp1252, 'text/html')).toBe('<p>Søknad – “stønad” €</p>');
    expect(decodeBody(cp1252, undefined)).toBe('<p>Søknad – “stønad” €</p>');
    // Declared UTF-8 but not UTF-8: windows-1252 rather than U+FFFD in stored text.
    expect(decodeBody(cp1252, 'text/html; charset=utf-8')).not.toContain('\ufffd');
  });
});

describe('fetchHttp decodes what the loopback server sends', () => {
  it('windows-1252 with <meta charset>, iso-8859-1 in <meta>, and an undeclared windows-1252 page', async () => {
    const body = (meta: string) =>
      bytes(
        `<html><head>${meta}<title>S`,
        [0xf8],
        'knad</title></head><body><p>',
        [0x93],
        'Grunnst',
        [0xf8],
        'nad',
        [0x94],
        ' ',
        [0x96],
        ' 8 232 kr</p></body></html>',
      );
    const srv = await startServer({
      '/meta': (_q, r) => void r.writeHead(200, { 'content-type': 'text/html' }).end(body('<meta charset="windows-1252">')),
      '/latin1': (_q, r) =>
        void r
          .writeHead(200, { 'content-type': 'text/html' })
          .end(body('<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">')),
      '/none': (_q, r) => void r.writeHead(200, { 'content-type': 'text/html' }).end(body('')),
    });
    try {
      for (const p of ['/meta', '/latin1', '/none']) {
        const f = await fetchHttp(`${srv.origin}${p}`, {
          userAgent: 'eti-test',
          timeoutMs: 5000,
          maxBytes: 1e6,
          maxRedirects: 0,
          allowPrivateNetwork: true,
        });
        expect(f.body, p).toContain('<title>Søknad</title>');
        expect(f.body, p).toContain('“Grunnstønad” – 8 232 kr');
        expect(f.body, p).not.toMatch(/[\u0080-\u009f\ufffd]/);
      }
    } finally {
      await srv.close();
    }
  });
});
