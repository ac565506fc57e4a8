// The GS1 AI encodable character sets (GS1 General Specifications 7.11), as the syntax
// dictionary's component types N, X, Y and Z require them.
import type { CharacterSet } from './ai-table';
import type { Lint } from './linters';

/** Character set 82: the printable ASCII characters GS1 allows in X components. */
export const CSET82 = `!"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz`;
/** Character set 39: used by (8010) CPID. */
export const CSET39 = '#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const CSET64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

const NAMES: Record<CharacterSet, string> = {
  N: 'digits',
  X: 'characters of GS1 character set 82',
  Y: 'characters of GS1 character set 39 (A-Z, 0-9, #, -, /)',
  Z: 'base64url characters (A-Z, a-z, 0-9, -, _)',
};

/** A character as a reader can see it: 'A', or U+0020 style for spaces and invisible bytes. */
export function showCharacter(char: string): string {
  const code = char.charCodeAt(0);
  if (code > 0x20 && code < 0x7f) return `'${char}'`;
  const hex = code.toString(16).toUpperCase().padStart(4, '0');
  return code === 0x20 ? "' ' (a space)" : `U+${hex}`;
}

// Membership by character code, one table per set: every scanned value is checked against one.
function table(members: string): Uint8Array {
  const t = new Uint8Array(128);
  for (let i = 0; i < members.length; i++) t[members.charCodeAt(i)] = 1;
  return t;
}

const MEMBERS: Record<CharacterSet, Uint8Array> = {
  N: table('0123456789'),
  X: table(CSET82),
  Y: table(CSET39),
  Z: table(CSET64),
};

function firstOutside(data: string, allowed: Uint8Array): number {
  for (let i = 0; i < data.length; i++) {
    const code = data.charCodeAt(i);
    if (code >= 128 || allowed[code] !== 1) return i;
  }
  return -1;
}

function lintMembers(data: string, cset: CharacterSet): Lint | undefined {
  const position = firstOutside(data, MEMBERS[cset]);
  if (position < 0) return undefined;
  return {
    code: 'invalid_character',
    position,
    message: (ai) =>
      `(${ai}) may contain only ${NAMES[cset]}, but character ${position + 1} is ${showCharacter(data.charAt(position))}`,
  };
}

function lintBase64url(data: string): Lint | undefined {
  const padding = /=*$/.exec(data)?.[0].length ?? 0;
  const body = data.slice(0, data.length - padding);
  if (padding > 2 || (padding > 0 && data.length % 3 !== 0)) {
    return { code: 'invalid_character', position: body.length, reason: 'has invalid "=" padding' };
  }
  return lintMembers(body, 'Z');
}

export function lintCharacterSet(cset: CharacterSet, data: string): Lint | undefined {
  switch (cset) {
    case 'N':
    case 'X':
    case 'Y':
      return lintMembers(data, cset);
    case 'Z':
      return lintBase64url(data);
  }
}
