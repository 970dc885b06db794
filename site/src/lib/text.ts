/**
 * Repository text for display: split into plain runs and http(s) links. Components render each
 * run with Astro's escaping, so markup in a title or description stays text, and a `javascript:`
 * or `data:` URL never becomes a link.
 */
import { safeUrl } from './urls.js';

export type Run = { text: string; url?: undefined } | { text: string; url: string };

const URL_LIKE = /\bhttps?:\/\/[^\s<>"'`]+/gi;

export function linkify(text: string): Run[] {
  const runs: Run[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_LIKE)) {
    // Trailing punctuation belongs to the sentence, not the URL.
    const raw = match[0].replace(/[).,;:!?\]]+$/, '');
    const start = match.index ?? 0;
    const url = safeUrl(raw);
    if (!url) continue;
    if (start > last) runs.push({ text: text.slice(last, start) });
    runs.push({ text: raw, url });
    last = start + raw.length;
  }
  if (last < text.length) runs.push({ text: text.slice(last) });
  return runs;
}

/** Paragraphs separated by blank lines. */
export const paragraphs = (text: string): string[] => text.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
