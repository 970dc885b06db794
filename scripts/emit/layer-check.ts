/**
 * A reader and checker for ATT&CK Navigator layers, format 4.5 (FORMATS.md): what Navigator would
 * silently drop or misread — unknown ids, string scores, a wrong version block — found before a
 * layer is published or after one is read from elsewhere. Returns problems, never throws.
 */
import type { Catalog } from '../catalog/types.js';

const DOMAINS = ['enterprise-attack', 'mobile-attack', 'ics-attack'];
const TECHNIQUE_ID = /^T\d{4}(\.\d{3})?$/;
const COLOR = /^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i;
const MIN_NAVIGATOR = [5, 2, 0];

type Check = (value: unknown, at: string, problems: string[]) => void;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

const is =
  (type: 'string' | 'boolean' | 'number'): Check =>
  (v, at, problems) => {
    if (typeof v !== type || (type === 'number' && !Number.isFinite(v))) problems.push(`${at}: must be a ${type}, found ${kind(v)} ${JSON.stringify(v)}`);
  };
const oneOf =
  (values: readonly string[]): Check =>
  (v, at, problems) => {
    if (typeof v !== 'string' || !values.includes(v)) problems.push(`${at}: must be one of ${values.join(' | ')}, found ${JSON.stringify(v)}`);
  };
const color: Check = (v, at, problems) => {
  if (typeof v !== 'string' || !COLOR.test(v)) problems.push(`${at}: must be a hexadecimal colour like #ff6666, found ${JSON.stringify(v)}`);
};
const arrayOf =
  (item: Check, min = 0): Check =>
  (v, at, problems) => {
    if (!Array.isArray(v)) return void problems.push(`${at}: must be an array, found ${kind(v)}`);
    if (v.length < min) problems.push(`${at}: needs at least ${min} entries`);
    v.forEach((x, i) => item(x, `${at}[${i}]`, problems));
  };

/** Checks an object's fields: required ones, known optional ones, and no others. */
function fields(shape: Record<string, Check>, required: readonly string[] = []): Check {
  return (v, at, problems) => {
    const where = at || 'layer';
    if (!isObject(v)) return void problems.push(`${where}: must be an object, found ${kind(v)}`);
    for (const key of required) if (!(key in v)) problems.push(`${where}: missing required "${key}"`);
    for (const [key, value] of Object.entries(v)) {
      const check = shape[key];
      if (check) check(value, at ? `${at}.${key}` : key, problems);
      else problems.push(`${at ? `${at}.` : ''}${key}: unknown field`);
    }
  };
}

const divider = fields({ divider: is('boolean') }, ['divider']);
const orDivider =
  (check: Check): Check =>
  (v, at, problems) =>
    (isObject(v) && 'divider' in v ? divider : check)(v, at, problems);
const metadata = arrayOf(orDivider(fields({ name: is('string'), value: is('string') }, ['name', 'value'])));
const url: Check = (v, at, problems) => {
  if (typeof v !== 'string' || !/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) problems.push(`${at}: must be a URL with a protocol (https://…), found ${JSON.stringify(v)}`);
};
const links = arrayOf(orDivider(fields({ label: is('string'), url }, ['label', 'url'])));

const versionParts = (v: string) => v.split('.').map(Number);
const atLeast = (v: number[], min: number[]) => {
  for (let i = 0; i < min.length; i++) if ((v[i] ?? 0) !== min[i]) return (v[i] ?? 0) > min[i];
  return true;
};

const versions: Check = (v, at, problems) => {
  fields({ layer: is('string'), navigator: is('string'), attack: is('string') }, ['layer', 'navigator', 'attack'])(v, at, problems);
  if (!isObject(v)) return;
  if (typeof v.layer === 'string' && v.layer !== '4.5') problems.push(`${at}.layer: must be "4.5", found "${v.layer}"`);
  if (typeof v.navigator === 'string') {
    if (!/^\d+\.\d+(\.\d+)?$/.test(v.navigator)) problems.push(`${at}.navigator: must be a version like "5.2.0", found "${v.navigator}"`);
    else if (!atLeast(versionParts(v.navigator), MIN_NAVIGATOR)) problems.push(`${at}.navigator: must be 5.2.0 or newer, found "${v.navigator}"`);
  }
  if (typeof v.attack === 'string' && !/^\d+(\.\d+)?$/.test(v.attack)) problems.push(`${at}.attack: must be an ATT&CK major version like "18", found "${v.attack}"`);
};

const gradient: Check = (v, at, problems) => {
  fields({ colors: arrayOf(color, 2), minValue: is('number'), maxValue: is('number') }, ['colors', 'minValue', 'maxValue'])(v, at, problems);
  if (isObject(v) && typeof v.minValue === 'number' && typeof v.maxValue === 'number' && !(v.maxValue > v.minValue)) {
    problems.push(`${at}: maxValue must be greater than minValue`);
  }
};

const layout = fields({
  layout: oneOf(['side', 'flat', 'mini']),
  showID: is('boolean'),
  showName: is('boolean'),
  showAggregateScores: is('boolean'),
  countUnscored: is('boolean'),
  aggregateFunction: oneOf(['average', 'min', 'max', 'sum']),
  expandedSubtechniques: oneOf(['none', 'annotated', 'all']),
});

const sorting: Check = (v, at, problems) => {
  if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 3) problems.push(`${at}: must be 0, 1, 2 or 3, found ${JSON.stringify(v)}`);
};

function technique(catalog: Catalog | undefined): Check {
  const shape = fields(
    {
      techniqueID: is('string'),
      tactic: is('string'),
      score: is('number'),
      color,
      comment: is('string'),
      enabled: is('boolean'),
      metadata,
      links,
      showSubtechniques: is('boolean'),
    },
    ['techniqueID'],
  );
  return (v, at, problems) => {
    shape(v, at, problems);
    if (!isObject(v) || typeof v.techniqueID !== 'string') return;
    const id = v.techniqueID;
    if (!TECHNIQUE_ID.test(id)) return void problems.push(`${at}.techniqueID: must be T#### or T####.###, found "${id}"`);
    if (id.includes('.') && v.showSubtechniques !== undefined) problems.push(`${at}.showSubtechniques: only valid on a parent technique (${id} is a sub-technique)`);
    if (!catalog) return;
    const known = catalog.techniques[id];
    if (!known) {
      const retired = catalog.retired[id];
      const why = retired ? `${retired.kind}${retired.replacedBy ? `, replaced by ${retired.replacedBy}` : ''}` : 'unknown';
      return void problems.push(`${at}.techniqueID: ${id} is not an active technique of ATT&CK ${catalog.domain} ${catalog.version} (${why}); Navigator drops it silently`);
    }
    if (typeof v.tactic === 'string' && !known.tactics.includes(v.tactic)) {
      problems.push(`${at}.tactic: ${id} is not under tactic "${v.tactic}" (its tactics: ${known.tactics.join(', ')})`);
    }
  };
}

function layerCheck(catalog: Catalog | undefined): Check {
  const shape = fields(
    {
      name: is('string'),
      versions,
      domain: oneOf(DOMAINS),
      description: is('string'),
      customDataURL: is('string'),
      filters: fields({ platforms: arrayOf(is('string')) }),
      sorting,
      layout,
      hideDisabled: is('boolean'),
      techniques: arrayOf(technique(catalog)),
      gradient,
      legendItems: arrayOf(fields({ label: is('string'), color }, ['label', 'color'])),
      showTacticRowBackground: is('boolean'),
      tacticRowBackground: color,
      selectTechniquesAcrossTactics: is('boolean'),
      selectSubtechniquesWithParent: is('boolean'),
      selectVisibleTechniques: is('boolean'),
      metadata,
      links,
    },
    ['name', 'domain', 'versions'],
  );
  return (v, at, problems) => {
    shape(v, at, problems);
    if (!isObject(v) || !catalog) return;
    const prefix = at ? `${at}.` : '';
    if (typeof v.domain === 'string' && v.domain !== catalog.domain) problems.push(`${prefix}domain: "${v.domain}" but the catalog is ${catalog.domain}`);
    const attack = isObject(v.versions) ? v.versions.attack : undefined;
    if (typeof attack === 'string' && attack.split('.')[0] !== catalog.version.split('.')[0]) {
      problems.push(`${prefix}versions.attack: "${attack}" but the catalog is ATT&CK ${catalog.version}`);
    }
  };
}

/**
 * Problems of a parsed layer (or array of layers) against the 4.5 field list. With a catalog, every
 * techniqueID must be an active technique of it, under the tactic given, and domain and major
 * version must match. An empty array means the layer is sound.
 */
export function checkLayer(json: unknown, catalog?: Catalog): string[] {
  const problems: string[] = [];
  const check = layerCheck(catalog);
  if (Array.isArray(json)) {
    if (json.length === 0) problems.push('an array of layers must hold at least one layer');
    json.forEach((layer, i) => check(layer, `[${i}]`, problems));
  } else check(json, '', problems);
  return problems;
}

/** Reads a layer file's text: the parsed layers and their problems (a JSON syntax error is one). */
export function readLayers(text: string, catalog?: Catalog): { layers: unknown[]; problems: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { layers: [], problems: [`not JSON: ${(error as Error).message}`] };
  }
  return { layers: Array.isArray(json) ? json : [json], problems: checkLayer(json, catalog) };
}
