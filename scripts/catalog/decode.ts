/**
 * Bundle bytes → parsed STIX bundle, pure and synchronous: gzip is recognised by its magic bytes
 * (never the file name), the pin is checked on the uncompressed JSON before it is parsed.
 */
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { BundleProblem } from './errors.js';
import { isStixBundle, type StixBundle } from './stix.js';

/** Larger than any ATT&CK release by an order of magnitude; stops a gzip bomb. */
const MAX_JSON_BYTES = 1024 * 1024 * 1024;

export const sha256Hex = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

export const isGzip = (bytes: Uint8Array): boolean => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

/**
 * Output chunk size: the size the gzip trailer announces (ISIZE), so a bundle inflates into one
 * buffer instead of thousands of 16 KiB pieces joined afterwards (a third faster). ISIZE is only a
 * hint (mod 2^32, and the input is untrusted), hence the bounds.
 */
function chunkSizeFor(bytes: Buffer): number {
  const announced = bytes.length >= 18 ? bytes.readUInt32LE(bytes.length - 4) : 0;
  return announced >= 64 * 1024 && announced <= 256 * 1024 * 1024 ? announced + 1 : 1024 * 1024;
}

export function decompress(bytes: Buffer): Buffer {
  if (!isGzip(bytes)) return bytes;
  try {
    return gunzipSync(bytes, { maxOutputLength: MAX_JSON_BYTES, chunkSize: chunkSizeFor(bytes) });
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    const why =
      e.code === 'Z_BUF_ERROR'
        ? 'the gzip data is truncated (unexpected end of file)'
        : e.code === 'ERR_BUFFER_TOO_LARGE'
          ? `the gzip data expands beyond ${MAX_JSON_BYTES} bytes`
          : `the gzip data is corrupt (${e.message})`;
    throw new BundleProblem('corrupt-gzip', why);
  }
}

/** Throws a BundleProblem when the hash differs from the pin (both lower-case hex). */
export function checkPin(actual: string, pin: string | undefined): void {
  const expected = pin?.trim().toLowerCase();
  if (expected && expected !== actual) {
    throw new BundleProblem('sha256-mismatch', `its sha256 is ${actual} but attack.sha256 pins ${expected}`);
  }
}

export function parseBundle(json: Buffer): StixBundle {
  const start = json[0] === 0xef && json[1] === 0xbb && json[2] === 0xbf ? 3 : 0; // UTF-8 BOM
  let value: unknown;
  try {
    value = JSON.parse(json.toString('utf8', start));
  } catch (error) {
    throw new BundleProblem('invalid-json', `the file is not valid JSON (${(error as Error).message})`);
  }
  if (!isStixBundle(value)) {
    throw new BundleProblem('not-stix', 'the JSON is not a STIX bundle (no "type": "bundle" with an "objects" array)');
  }
  return value;
}
