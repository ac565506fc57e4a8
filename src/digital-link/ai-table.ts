// The GS1 Application Identifier table, parsed once at module load from the Syntax Dictionary
// text in syntax-dictionary.ts (gs1/gs1-syntax-engine, Apache-2.0), following the rules of the
// engine's own loader (src/c-lib/syn.c).
import { SYNTAX_DICTIONARY } from './syntax-dictionary';

/** N numeric, X GS1 AI encodable character set 82, Y character set 39, Z base64url (set 64). */
export type CharacterSet = 'N' | 'X' | 'Y' | 'Z';

export interface AiComponent {
  cset: CharacterSet;
  min: number;
  max: number;
  optional: boolean;
  linters: string[];
}

export interface AiEntry {
  ai: string;
  title: string;
  /** Pre-defined length: no FNC1 separator follows it in a barcode ("*" flag). */
  fixedLength: boolean;
  /** A GS1 identification key ("!" flag). */
  identificationKey: boolean;
  /** Permitted as a Digital Link query-string data attribute ("?" flag); 'unknown' for vivified AIs. */
  dataAttribute: boolean | 'unknown';
  components: AiComponent[];
  /** Each "req=" attribute: alternatives, each a group of AI patterns that must all be present. */
  requires: string[][][];
  /** "ex=" patterns of AIs that may not appear together with this one (e.g. "310n"). */
  excludes: string[];
  /** Digital Link primary keys only: the alternative ordered qualifier lists ("dlpkey"). */
  qualifierPaths?: string[][];
  /** Not in the dictionary; accepted only with permitUnknownAIs. */
  unknown?: boolean;
}

function parseComponent(token: string): AiComponent {
  const optional = token.startsWith('[');
  const [spec = '', ...linters] = token.replace('[', '').replace(']', '').split(',');
  const match = /^([NXYZ])(\.\.)?(\d+)$/.exec(spec);
  if (!match) throw new Error(`Syntax dictionary: bad component ${token}`);
  const max = Number(match[3]);
  return { cset: match[1] as CharacterSet, min: match[2] ? 1 : max, max, optional, linters };
}

function parseEntries(line: string): AiEntry[] {
  const hash = line.search(/\s#(\s|$)/);
  const title = hash < 0 ? '' : line.slice(hash + 2).trim();
  const tokens = (hash < 0 ? line : line.slice(0, hash)).trim().split(/\s+/);
  const [aiToken = '', ...rest] = tokens;
  const entry: Omit<AiEntry, 'ai'> = {
    title,
    fixedLength: false,
    identificationKey: false,
    dataAttribute: false,
    components: [],
    requires: [],
    excludes: [],
  };
  for (const token of rest) {
    if (/^[*!?]+$/.test(token)) {
      entry.fixedLength ||= token.includes('*');
      entry.identificationKey ||= token.includes('!');
      entry.dataAttribute ||= token.includes('?');
    } else if (/^[A-Z[]/.test(token)) {
      entry.components.push(parseComponent(token));
    } else if (token.startsWith('req=')) {
      entry.requires.push(
        token
          .slice(4)
          .split(',')
          .map((group) => group.split('+')),
      );
    } else if (token.startsWith('ex=')) {
      entry.excludes.push(...token.slice(3).split(','));
    } else if (token === 'dlpkey' || token.startsWith('dlpkey=')) {
      const alternatives = token === 'dlpkey' ? [''] : token.slice(7).split('|');
      entry.qualifierPaths = alternatives.map((alt) => (alt === '' ? [] : alt.split(',')));
    }
  }
  const [first = aiToken, last = aiToken] = aiToken.split('-');
  const entries: AiEntry[] = [];
  for (let n = Number(first); n <= Number(last); n++) {
    entries.push({ ai: String(n).padStart(first.length, '0'), ...entry });
  }
  return entries;
}

const TABLE = new Map<string, AiEntry>();
for (const line of SYNTAX_DICTIONARY.split('\n')) {
  if (line.trim() === '' || line.trim().startsWith('#')) continue;
  for (const entry of parseEntries(line)) TABLE.set(entry.ai, entry);
}

/** AI length by two-digit prefix: every AI sharing a prefix has the same length (GS1 GenSpecs 3.1). */
const AI_LENGTH_BY_PREFIX = new Map<string, number>();
for (const ai of TABLE.keys()) AI_LENGTH_BY_PREFIX.set(ai.slice(0, 2), ai.length);

/** Value lengths that GS1 pre-defines by AI prefix, for AIs not (yet) in the dictionary. */
const FIXED_VALUE_LENGTH_BY_PREFIX: Record<string, number> = {
  '00': 18,
  '01': 14,
  '02': 14,
  '03': 14,
  '04': 16,
  '11': 6,
  '12': 6,
  '13': 6,
  '14': 6,
  '15': 6,
  '16': 6,
  '17': 6,
  '18': 6,
  '19': 6,
  '20': 2,
  '31': 6,
  '32': 6,
  '33': 6,
  '34': 6,
  '35': 6,
  '36': 6,
  '41': 13,
};

function unknownEntry(ai: string): AiEntry {
  const fixed = FIXED_VALUE_LENGTH_BY_PREFIX[ai.slice(0, 2)];
  const length = fixed !== undefined && AI_LENGTH_BY_PREFIX.has(ai.slice(0, 2)) ? fixed : undefined;
  return {
    ai,
    title: 'UNKNOWN',
    fixedLength: length !== undefined,
    identificationKey: false,
    dataAttribute: 'unknown',
    components: [{ cset: 'X', min: length ?? 1, max: length ?? 90, optional: false, linters: [] }],
    requires: [],
    excludes: [],
    unknown: true,
  };
}

/**
 * The entry for an AI, or undefined. With `permitUnknown`, an AI that is not in the table is
 * accepted as X..90 (or its prefix's pre-defined length) unless it clashes with the length of
 * known AIs sharing its first two digits, as the engine does: (89) yes, (011) and (800) no.
 */
export function lookupAi(ai: string, permitUnknown = false): AiEntry | undefined {
  const known = TABLE.get(ai);
  if (known || !permitUnknown || !/^\d{2,4}$/.test(ai)) return known;
  const prefixLength = AI_LENGTH_BY_PREFIX.get(ai.slice(0, 2));
  if (prefixLength !== undefined && prefixLength !== ai.length) return undefined;
  return unknownEntry(ai);
}

export function allAis(): AiEntry[] {
  return [...TABLE.values()];
}

export function isPrimaryKey(ai: string): boolean {
  return TABLE.get(ai)?.qualifierPaths !== undefined;
}

export function minValueLength(entry: AiEntry): number {
  return entry.components.reduce((sum, c) => sum + (c.optional ? 0 : c.min), 0);
}

export function maxValueLength(entry: AiEntry): number {
  return entry.components.reduce((sum, c) => sum + c.max, 0);
}

/** The format in GS1 notation, e.g. "N14", "X..20", "N13 [X..17]". */
export function formatSpecification(entry: AiEntry): string {
  return entry.components
    .map((c) => {
      const spec = `${c.cset}${c.min === c.max ? c.max : `..${c.max}`}`;
      return c.optional ? `[${spec}]` : spec;
    })
    .join(' ');
}
