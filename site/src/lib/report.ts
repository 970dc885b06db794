/**
 * Loads the one input of the site, `build/report.json`, and re-validates it against the report
 * schema the engine ships. A missing or invalid report fails the build with a message that says
 * what is wrong and how to regenerate it; the site never patches or recomputes the report.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import { ReportSchema, type Report } from '../../../scripts/model/report.js';
import { reportPath } from '../../paths.mjs';

export type { Report, ReportTechnique } from '../../../scripts/model/report.js';

export class ReportError extends Error {
  override name = 'ReportError';
}

const HINT = 'Run `npx tidemark score` to write build/report.json, or set TIDEMARK_REPORT=path/to/report.json.';
const MAX_SHOWN = 8;

const describe = (e: ErrorObject) => {
  const where = e.instancePath || '(the top level)';
  const extra = e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})` : '';
  return `  ${where} ${e.message ?? 'is invalid'}${extra}`;
};

/** Parses and validates report text; `source` names it in messages. Throws ReportError. */
export function parseReport(text: string, source: string): Report {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ReportError(`${source} is not JSON (${(error as Error).message}). ${HINT}`);
  }
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(ReportSchema);
  if (!validate(data)) {
    const errors = validate.errors ?? [];
    const lines = errors.slice(0, MAX_SHOWN).map(describe);
    if (errors.length > MAX_SHOWN) lines.push(`  … and ${errors.length - MAX_SHOWN} more`);
    throw new ReportError(
      `${source} is not a valid tidemark report (${errors.length} schema error${errors.length === 1 ? '' : 's'}):\n${lines.join('\n')}\n` +
        `It may come from another tidemark version. ${HINT}`,
    );
  }
  return data as Report;
}

export function readReport(path: string): Report {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ReportError(`No report at ${path} (${code ?? String(error)}). ${HINT}`);
  }
  return parseReport(text, path);
}

let cached: Report | undefined;

/** The report for this build, read and validated once. */
export function getReport(): Report {
  cached ??= readReport(reportPath());
  return cached;
}
