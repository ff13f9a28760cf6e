import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { FetchError } from './errors.js';

/** Is an IP address loopback, private, link-local, unspecified or otherwise not public? */
export function isPrivateAddress(ip: string): boolean {
  const v = isIP(ip);
  if (v === 4) {
    const [a, b] = ip.split('.').map(Number) as [number, number];
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127) ||
      a >= 224
    );
  }
  if (v === 6) {
    const x = ip.toLowerCase();
    if (x === '::' || x === '::1') return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(x);
    if (mapped) return isPrivateAddress(mapped[1]!);
    return /^f[cd]/.test(x) || /^fe[89ab]/.test(x) || x.startsWith('ff');
  }
  return true;
}

/**
 * Which addresses count as public. The default is `!isPrivateAddress`; an offline test of the
 * guard passes one that lets exactly one loopback address count as public (every loopback address
 * is private) and checks that every other is still refused. Passed down with the fetch options,
 * never set globally.
 */
export type AddressPolicy = (ip: string) => boolean;

export const isPublicAddress: AddressPolicy = (ip) => !isPrivateAddress(ip);

/**
 * Refuse hosts that resolve to a non-public address (SSRF guard), unless allowed.
 * Checked before every request and every redirect hop.
 */
export async function assertPublicAddress(
  url: string,
  allowPrivateNetwork: boolean,
  isPublic: AddressPolicy = isPublicAddress,
): Promise<void> {
  if (allowPrivateNetwork) return;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await lookup(host, { all: true })).map((a) => a.address);
    } catch (err) {
      throw new FetchError('network', url, `cannot resolve ${host}`, err);
    }
  }
  const bad = addresses.find((a) => !isPublic(a));
  if (bad !== undefined) {
    throw new FetchError(
      'private-address',
      url,
      `${host} resolves to ${bad}, a private or loopback address (set allow_private_network for test sites)`,
    );
  }
}
