/** The artefacts copied to /downloads/ (see astro.config.mjs): the pages link only those that exist. */
import { artefacts } from '../../paths.mjs';
import { href } from './urls.js';

export interface Artefact {
  name: string;
  kind: string;
  title: string;
  description: string;
  group?: string;
  href: string;
}

export function getArtefacts(): Artefact[] {
  return artefacts().map((a) => ({
    name: a.name,
    kind: a.kind,
    title: a.title,
    description: a.description,
    ...(a.group ? { group: a.group } : {}),
    href: href(`downloads/${a.name}`),
  }));
}

export const artefactHref = (name: string): string | undefined => getArtefacts().find((a) => a.name === name)?.href;
