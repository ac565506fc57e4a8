import { describe, expect, it } from 'vitest';
import { CodeBlocks, NO_BLOCKS } from './code-blocks';
import { blockIdOfWarningPage, warningPageUrl } from './warning-page-path';

const row = (id: string, lot = '', serial = '') => ({ id, org_id: 'org_a', lot, serial });

describe('code blocks', () => {
  it('answers the most specific block: serial, then lot, then the whole GTIN', () => {
    const blocks = new CodeBlocks([row('g'), row('l', 'L1'), row('s', '', 'S1')]);
    expect(blocks.hit('L1', 'S1')).toEqual({ id: 's', orgId: 'org_a' });
    expect(blocks.hit('L2', 'S1')?.id).toBe('s'); // a serial block holds in every lot
    expect(blocks.hit('L1', 'S2')?.id).toBe('l');
    expect(blocks.hit(null, null)?.id).toBe('g');
    expect(blocks.size).toBe(3);
  });

  it('lets through what no block covers', () => {
    const blocks = new CodeBlocks([row('l', 'L1'), row('s', '', 'S1')]);
    expect(blocks.hit('L2', 'S2')).toBeNull();
    expect(blocks.hit(null, null)).toBeNull();
    expect(blocks.hit('L2', null)).toBeNull();
    expect(NO_BLOCKS.hit('L1', 'S1')).toBeNull();
  });

  it('reads the block id back from the warning page URL', () => {
    const url = warningPageUrl('https://dl.example', 'blk_abc');
    expect(url).toBe('https://dl.example/p/blocked/blk_abc');
    expect(blockIdOfWarningPage(url)).toBe('blk_abc');
    expect(blockIdOfWarningPage('https://brand.example/page')).toBeNull();
    expect(blockIdOfWarningPage(null)).toBeNull();
  });
});
