/**
 * GitHub workflow commands for the gate's results, on the lines responsible:
 * `::error file=F,line=L,col=C,title=T::message`. Findings themselves are annotated by
 * `tidemark validate --format github`, which the pull-request workflow runs first.
 */
import { formatAnnotation, type Annotation } from '../emit/annotations.js';
import type { GateResult, TechniqueChange } from './types.js';

export { formatAnnotation, type Annotation };

const describe = (c: TechniqueChange) => {
  const before = c.before ? `${c.before.state} (credit ${c.before.credit})` : 'not in the overlay';
  const after = c.after ? `${c.after.state} (credit ${c.after.credit})` : 'not in the overlay';
  const cause = c.cause ? ` Cause: ${c.cause.detail}.` : '';
  return `${c.id} ${c.name}: ${before} → ${after}.${cause}`;
};

function annotate(c: TechniqueChange, level: Annotation['level'], title: string): Annotation {
  const at = c.cause ? { file: c.cause.file, line: c.cause.line, col: c.cause.line !== undefined ? c.cause.col : undefined } : {};
  return { level, title: `${title}: ${c.id}`, message: describe(c), ...at };
}

export function gateAnnotations(result: GateResult): Annotation[] {
  const failOn = new Set(result.policy.fail_on);
  const out: Annotation[] = [];
  for (const c of result.changes) {
    const regression = c.rules.includes('regression');
    const gap = c.rules.includes('new_gap');
    if (regression || gap) {
      const fails = (regression && failOn.has('regression')) || (gap && failOn.has('new_gap'));
      const title = regression && gap ? 'tidemark regression and new gap' : regression ? 'tidemark regression' : 'tidemark new gap';
      out.push(annotate(c, fails ? 'error' : 'warning', title));
    } else if (c.newGroupGap) {
      out.push(annotate(c, 'warning', 'tidemark gap from a new group'));
    }
  }
  if (result.failed.includes('min_score')) {
    out.push({
      level: 'error',
      title: 'tidemark score below minimum',
      file: 'tidemark.yaml',
      message: `Coverage score ${result.score.after} is below gate.min_score ${result.policy.min_score}.`,
    });
  }
  return out;
}
