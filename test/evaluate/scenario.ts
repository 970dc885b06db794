/** The hand-computed scenario shared by the scores, backlog and emit tests. */
import type { Repository } from '../../scripts/model/repository.js';
import { config, control, group, native, repository, run, source } from './builders.js';

/**
 * APT29 (G0016, high = 3) and Wizard Spider (G0102, medium = 2), no campaigns:
 *
 * | technique | groups       | weight | evidence                  | state     | credit | priority |
 * | T1059     | G0102        | 2      | collected DC0064          | visible   | 0      | 2        |
 * | T1059.001 | G0016        | 3      | det-ps                    | detected  | 0.5    | 1.5      |
 * | T1078     | G0016, G0102 | 5      | run detected              | validated | 1      | 0        |
 * | T1078.004 | G0016        | 3      | —                         | blind     | 0      | 3        |
 * | T1200     | G0102        | 2      | —                         | blind     | 0      | 2        |
 * | T1486     | G0102        | 2      | ctl-backup                | mitigated | 0.5    | 1        |
 * | T1490     | G0102        | 2      | collected DC0064          | visible   | 0      | 2        |
 * | T1547.015 | G0016        | 3      | —                         | blind     | 0      | 3        |
 * | T1566.001 | G0016, G0102 | 5      | run not detected          | failed    | 0      | 5        |
 *
 * Σw = 27, Σw·c = 3·0.5 + 5·1 + 2·0.5 = 7.5 → score 7.5 / 27 = 0.2778.
 */
export const SCENARIO: Repository = repository({
  config: config({ profile: { include_campaigns: false } }),
  groups: [group('G0016', { relevance: 'high' }), group('G0102', { relevance: 'medium' })],
  detections: [native('det-ps', ['T1059.001']), native('det-phish', ['T1566.001'])],
  controls: [control('ctl-backup', ['T1486']), control('ctl-usb', ['T1200'], { status: 'planned' })],
  telemetry: [source('edr-cmd', { name: 'EDR command lines', data_components: ['DC0064'] }), source('usb-audit', { status: 'planned', data_components: ['Drive Creation'] })],
  validations: [
    run('T1078', '2026-10-01', 'detected', { detection: 'det-logon' }),
    run('T1566.001', '2026-10-02', 'not-detected', { detection: 'det-phish', test: { type: 'atomic', name: 'Word macro spawns PowerShell' } }),
  ],
});
