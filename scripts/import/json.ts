/**
 * JSON input with line numbers. `JSON.parse` reads the values; a small scanner runs only when a
 * problem must be reported, to find the line of the node it concerns.
 */
import type { Problem } from './types.js';

export type JsonPath = (string | number)[];

export function parseJson(text: string, what: string): { value?: unknown; problem?: Problem } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return { value: JSON.parse(body) };
  } catch (error) {
    const message = (error as Error).message;
    const at = /position (\d+)/.exec(message);
    const line = at ? lineAt(body, Number(at[1])) : /line (\d+)/.exec(message) ? Number(/line (\d+)/.exec(message)![1]) : 1;
    return { problem: { line, message: `the ${what} is not valid JSON: ${message.replace(/ in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)$/, '')}` } };
  }
}

const lineAt = (text: string, offset: number): number => {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === '\n') line++;
  return line;
};

interface PositionNode {
  line: number;
  keys?: Map<string, PositionNode>;
  items?: PositionNode[];
}

/** Builds the position tree of valid JSON text (what `JSON.parse` accepted). */
function positions(text: string): PositionNode {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const space = () => {
    while (i < text.length) {
      const c = text[i];
      if (c === '\n') line++;
      else if (c !== ' ' && c !== '\t' && c !== '\r') return;
      i++;
    }
  };
  const string = (): string => {
    const from = i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(from, i)) as string;
  };
  const value = (): PositionNode => {
    space();
    const node: PositionNode = { line };
    const c = text[i];
    if (c === '{' || c === '[') {
      i++;
      const close = c === '{' ? '}' : ']';
      if (c === '{') node.keys = new Map();
      else node.items = [];
      space();
      if (text[i] === close) {
        i++;
        return node;
      }
      for (;;) {
        if (node.keys) {
          space();
          const key = string();
          space();
          i++; // ':'
          node.keys.set(key, value());
        } else node.items!.push(value());
        space();
        if (text[i++] !== ',') return node;
      }
    }
    if (c === '"') string();
    else while (i < text.length && !/[\s,\]}]/.test(text[i])) i++;
    return node;
  };
  return value();
}

/**
 * The scanner recurses per nesting level and JSON.parse does not: input nested deeply enough to
 * exhaust the stack is still valid JSON, and its nodes are then all placed on line 1.
 */
function positionsOrRoot(text: string): PositionNode {
  try {
    return positions(text);
  } catch (error) {
    if (error instanceof RangeError) return { line: 1 };
    throw error;
  }
}

/** A function giving the line of the node at a path (the nearest existing ancestor's when it is absent). */
export function jsonLocator(text: string): (path: JsonPath) => number {
  let root: PositionNode | undefined;
  return (path) => {
    root ??= positionsOrRoot(text);
    let node = root;
    for (const key of path) {
      const next = typeof key === 'number' ? node.items?.[key] : node.keys?.get(key);
      if (!next) break;
      node = next;
    }
    return node.line;
  };
}

/** Reading helpers for untyped JSON. */
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? (v.trim() ? v.trim() : undefined) : typeof v === 'number' ? String(v) : undefined;
