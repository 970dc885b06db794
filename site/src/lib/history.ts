/**
 * The coverage trend (`build/history.json`, written by `tidemark history`). Optional: without it
 * the overview says how to produce one. When present it is validated like the report.
 */
import { existsSync, readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { HistorySchema, type History } from '../../../scripts/history/types.js';
import { historyPath } from '../../paths.mjs';
import { ReportError } from './report.js';

let cached: { history?: History } | undefined;

export function getHistory(): History | undefined {
  if (cached) return cached.history;
  const path = historyPath();
  if (!existsSync(path)) {
    cached = {};
    return undefined;
  }
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ReportError(`${path} is not JSON (${(error as Error).message}). Run \`npx tidemark history\` again or delete it.`);
  }
  const validate = new Ajv({ allErrors: true, strict: false }).compile(HistorySchema);
  if (!validate(data)) {
    const first = validate.errors?.[0];
    throw new ReportError(`${path} is not a valid tidemark history: ${first?.instancePath || '(top level)'} ${first?.message ?? ''}. Run \`npx tidemark history\` again.`);
  }
  cached = { history: data as History };
  return cached.history;
}
