/**
 * The one place that talks HTTP: undici's fetch through EnvHttpProxyAgent, so HTTPS_PROXY,
 * HTTP_PROXY and NO_PROXY are honoured. Failures come back as data with a code, never thrown.
 */
import { EnvHttpProxyAgent, fetch } from 'undici';
import type { FailureCode } from './errors.js';

/** A whole ATT&CK bundle (35 MB) must arrive within this, unless the caller says otherwise. */
export const DEFAULT_FETCH_TIMEOUT_MS = 120_000;

export type Fetched = { ok: true; bytes: Buffer } | { ok: false; code: FailureCode; why: string };

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN']);

/** The proxy in use, without credentials, for messages. */
function proxyNote(url: string): string {
  const env = process.env;
  const proxy = url.startsWith('https:')
    ? (env.HTTPS_PROXY ?? env.https_proxy ?? env.HTTP_PROXY ?? env.http_proxy)
    : (env.HTTP_PROXY ?? env.http_proxy);
  if (!proxy) return '';
  try {
    const u = new URL(proxy);
    return ` through proxy ${u.protocol}//${u.host}`;
  } catch {
    return ' through the configured proxy';
  }
}

function classify(error: unknown, url: string, timeoutMs: number): { code: FailureCode; why: string } {
  const e = error as Error & { cause?: NodeJS.ErrnoException & { errors?: NodeJS.ErrnoException[] } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return { code: 'timeout', why: `timed out after ${timeoutMs} ms${proxyNote(url)}` };
  const cause = e?.cause;
  // Node reports a refused dual-stack connect as an AggregateError of per-address errors.
  const code = cause?.code ?? cause?.errors?.[0]?.code ?? '';
  if (code === 'ECONNREFUSED') return { code: 'connection-refused', why: `connection refused${proxyNote(url)}` };
  if (TIMEOUT_CODES.has(code)) return { code: 'timeout', why: `timed out (${code})${proxyNote(url)}` };
  if (DNS_CODES.has(code)) return { code: 'network', why: `host not found (${code}); no network or DNS${proxyNote(url)}` };
  const detail = code || cause?.message || e?.message || String(error);
  return { code: 'network', why: `network error (${detail})${proxyNote(url)}` };
}

export async function fetchBytes(url: string, timeoutMs: number): Promise<Fetched> {
  const dispatcher = new EnvHttpProxyAgent();
  try {
    const response = await fetch(url, { dispatcher, signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
      return response.status === 404 || response.status === 410
        ? { ok: false, code: 'not-found', why: `${status}, no such file` }
        : { ok: false, code: 'http-status', why: status };
    }
    return { ok: true, bytes: Buffer.from(await response.arrayBuffer()) };
  } catch (error) {
    return { ok: false, ...classify(error, url, timeoutMs) };
  } finally {
    await dispatcher.destroy().catch(() => undefined);
  }
}
