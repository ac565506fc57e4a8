// Which AIs may follow a primary key in the path, and in which order (dl-path-ai-sequences.json,
// plus sequences the engine's test does not list).
import { describe, expect, it } from 'vitest';
import { allAis, isPrimaryKey, isValidPathSequence } from '../../src/digital-link';
import { pathSequencesOf } from '../../src/digital-link/key-qualifiers';
import sequences from '../fixtures/gs1/dl-path-ai-sequences.json';

const listed = sequences.sequences.map((s) => s.aiSequence);

describe('Digital Link path sequences', () => {
  it.each(listed.map((seq) => [seq.join(' '), seq] as const))('accepts %s (engine vector)', (_name, seq) => {
    expect(isValidPathSequence(seq)).toBe(true);
  });

  it.each([
    [['01', '10', '22']],
    [['01', '21', '10']],
    [['01', '22', '235']],
    [['01', '235', '21']],
    [['01', '10', '10']],
    [['01', '99']],
    [['00', '10']],
    [['414', '254', '7040']],
    [['417', '254']],
    [['8010', '8011', '8011']],
    [['8017', '8018']],
    [['253', '21']],
    [['10']],
    [['99']],
  ])('rejects %j', (seq) => {
    expect(isValidPathSequence(seq)).toBe(false);
  });

  it('derives the primary keys from the dictionary', () => {
    const keys = allAis()
      .filter((e) => isPrimaryKey(e.ai))
      .map((e) => e.ai);
    expect(keys).toEqual([
      '00',
      '01',
      '253',
      '255',
      '401',
      '402',
      '414',
      '415',
      '417',
      '8003',
      '8004',
      '8006',
      '8010',
      '8013',
      '8017',
      '8018',
    ]);
  });

  it('allows exactly the listed sequences, plus (415) PAY TO with (8020), which the engine test does not list', () => {
    const ours = allAis()
      .filter((e) => isPrimaryKey(e.ai))
      .flatMap((e) => pathSequencesOf(e.ai).map((s) => s.join(' ')));
    const theirs = listed.map((s) => s.join(' '));
    expect(new Set(ours)).toEqual(new Set([...theirs, '415', '415 8020']));
  });
});
