import { describe, expect, it } from 'vitest';
import { classifyDevice } from './device-class';
import { scannerApp } from './scanner-app';
import { userAgentCacheSize, userAgentFacts } from './user-agent-facts';

const AGENTS = [
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 334.0.0.42.95',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  '',
];

describe('userAgentFacts', () => {
  it.each(AGENTS)('answers what the parsers answer, first time and from memory: %s', (ua) => {
    const expected = { deviceClass: classifyDevice(ua), app: scannerApp(ua) };
    expect(userAgentFacts(ua)).toEqual(expected);
    expect(userAgentFacts(ua)).toEqual(expected);
  });

  it('treats a missing User-Agent as an empty one', () => {
    expect(userAgentFacts(null)).toEqual({ deviceClass: 'other', app: null });
    expect(userAgentFacts(undefined)).toEqual(userAgentFacts(''));
  });

  it('stays bounded: the least recently used strings go first', () => {
    const keep = AGENTS[0]!;
    for (let i = 0; i < 2_500; i++) {
      userAgentFacts(`Mozilla/5.0 TestAgent/${i}`);
      if (i % 500 === 0) userAgentFacts(keep); // used now and then: stays
    }
    expect(userAgentCacheSize()).toBe(2_000);
    expect(userAgentFacts(keep).deviceClass).toBe('mobile');
  });

  it('does not keep absurdly long strings', () => {
    const before = userAgentCacheSize();
    userAgentFacts(`Mozilla/5.0 ${'x'.repeat(10_000)}`);
    expect(userAgentCacheSize()).toBe(before);
  });
});
