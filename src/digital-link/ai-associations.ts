// Rules across AIs, from the dictionary's "ex" and "req" attributes plus the engine's fixed rules
// (gs1/gs1-syntax-engine ai.c: validateAImutex, validateAIrequisites, validateAIrepeats,
// validateDigSigRequiresSerialisedKey), checked in that order.
import { type AiEntry, minValueLength } from './ai-table';
import type { DigitalLinkError } from './types';

export interface CheckedAi {
  ai: string;
  value: string;
  entry: AiEntry;
}

/** "310n" or "31nn" match any AI of that length with those leading digits; "8111" only itself. */
function matchesPattern(ai: string, pattern: string): boolean {
  if (ai.length !== pattern.length) return false;
  // A loop, not [...pattern].every(): every scan checks its AIs against each exclusion pattern.
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c !== 'n' && c !== ai[i]) return false;
  }
  return true;
}

/** Another AI (not `self`: an AI never excludes or satisfies itself) matching the pattern. */
function findOther(ais: CheckedAi[], pattern: string, self: string): CheckedAi | undefined {
  return ais.find((other) => other.ai !== self && matchesPattern(other.ai, pattern));
}

function describeRequirement(groups: string[][]): string {
  const names = groups.map((group) => group.map((ai) => `(${ai})`).join(' with '));
  return names.length === 1 ? (names[0] ?? '') : `one of ${names.join(', ')}`;
}

// (253), (255) and (8003) have an optional serial component that a digital signature must cover.
const SERIALISABLE_KEYS = ['253', '255', '8003'];

export function checkAssociations(
  ais: CheckedAi[],
  validateRequisites: boolean,
): DigitalLinkError | undefined {
  const sorted = [...ais].sort((a, b) => (a.ai < b.ai ? -1 : a.ai > b.ai ? 1 : 0));
  for (const { ai, entry } of sorted) {
    for (const pattern of entry.excludes) {
      const other = findOther(sorted, pattern, ai);
      if (other) {
        return {
          code: 'mutually_exclusive_ais',
          ai,
          message: `(${ai}) and (${other.ai}) may not be used together`,
        };
      }
    }
  }
  if (validateRequisites) {
    for (const { ai, entry } of sorted) {
      for (const groups of entry.requires) {
        const satisfied = groups.some((group) => group.every((pattern) => findOther(sorted, pattern, ai)));
        if (!satisfied) {
          return {
            code: 'missing_required_ai',
            ai,
            message: `(${ai}) may only be used together with ${describeRequirement(groups)}`,
          };
        }
      }
    }
  }
  for (let i = 1; i < sorted.length; i++) {
    const [a, b] = [sorted[i - 1], sorted[i]];
    if (a && b && a.ai === b.ai && a.value !== b.value) {
      const message = `(${a.ai}) appears twice with different values: ${a.value} and ${b.value}`;
      return { code: 'conflicting_values', ai: a.ai, message };
    }
  }
  if (sorted.some((x) => x.ai === '8030')) {
    const unserialised = sorted.find(
      (x) => SERIALISABLE_KEYS.includes(x.ai) && x.value.length === minValueLength(x.entry),
    );
    if (unserialised) {
      return {
        code: 'missing_serial',
        ai: unserialised.ai,
        message: `(${unserialised.ai}) must include its serial component when a digital signature (8030) is present`,
      };
    }
  }
  return undefined;
}
