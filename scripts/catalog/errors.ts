/**
 * Why ATT&CK data could not be loaded. Each failure has a permanent code; the thrown error's
 * message is one paragraph naming every source tried, why each failed, and how to work offline.
 * It never carries a stack trace: the CLI prints the message as is and exits 2.
 */
export const FAILURES = {
  'not-found': { hint: undefined },
  unreadable: { hint: 'Check the file permissions.' },
  'connection-refused': { hint: undefined },
  timeout: { hint: undefined },
  network: { hint: undefined },
  'http-status': { hint: undefined },
  'corrupt-gzip': { hint: 'Download the file again; it is damaged or incomplete.' },
  'invalid-json': { hint: 'Download the file again; it is damaged or not JSON.' },
  'not-stix': { hint: 'Point tidemark at an ATT&CK STIX bundle such as enterprise-attack-18.1.json.' },
  'sha256-mismatch': { hint: 'If this bundle is the one you want, update attack.sha256 in tidemark.yaml.' },
  'invalid-request': { hint: 'attack.domain looks like enterprise-attack and attack.version like 18.1.' },
  'not-release-index': { hint: 'Point at the index.json published beside the ATT&CK bundles.' },
} as const satisfies Record<string, { hint: string | undefined }>;

export type FailureCode = keyof typeof FAILURES;

/** One source that did not give a catalog. */
export interface Attempt {
  /** `--attack-file PATH`, `TIDEMARK_ATTACK_MIRROR DIR`, `cache DIR`, `download URL`. */
  source: string;
  code: FailureCode;
  /** Why, in a few words, no trailing period. */
  why: string;
}

export class AttackDataError extends Error {
  override readonly name = 'AttackDataError';
  readonly code: FailureCode;
  /** One line per source tried: `<source>: <why>`. */
  readonly tried: string[];

  constructor(code: FailureCode, message: string, tried: string[]) {
    super(message);
    this.code = code;
    this.tried = tried;
  }
}

/** A bundle (bytes in hand) that cannot be used; the loader turns it into an Attempt. */
export class BundleProblem extends Error {
  constructor(
    readonly code: FailureCode,
    readonly why: string,
  ) {
    super(why);
  }
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

export function attackDataError(
  request: { domain: string; version: string },
  attempts: readonly Attempt[],
  decisive: Attempt | undefined = attempts.at(-1),
): AttackDataError {
  const file = `${request.domain}-${request.version}`;
  const tried = attempts.map((a) => oneLine(`${a.source}: ${a.why}`));
  const refused = decisive?.code === 'sha256-mismatch';
  const hint = decisive ? FAILURES[decisive.code].hint : undefined;
  const message = [
    refused
      ? `ATT&CK ${request.domain} ${request.version} was refused.`
      : `ATT&CK ${request.domain} ${request.version} could not be loaded.`,
    `Tried ${tried.length > 0 ? tried.join('; ') : 'nothing'}.`,
    hint,
    `To work offline, set TIDEMARK_ATTACK_MIRROR to a directory holding ${file}.json.gz or ${file}.json, or pass --attack-file PATH.`,
  ]
    .filter(Boolean)
    .join(' ');
  return new AttackDataError(decisive?.code ?? 'not-found', message, tried);
}
