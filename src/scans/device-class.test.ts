import { describe, expect, it } from 'vitest';
import { classifyDevice } from './device-class';

const UA = {
  iphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  android:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
  ipad: 'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  galaxyTab:
    'Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  windows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  mac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  googlebot: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  curl: 'curl/8.7.1',
  slack: 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
  smartTv:
    'Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/4.0 Chrome/76.0.3809.146 TV Safari/537.36',
};

describe('classifyDevice', () => {
  it.each([
    ['iphone', 'mobile'],
    ['android', 'mobile'],
    ['ipad', 'tablet'],
    ['galaxyTab', 'tablet'],
    ['windows', 'desktop'],
    ['mac', 'desktop'],
    ['googlebot', 'bot'],
    ['curl', 'bot'],
    ['slack', 'bot'],
    ['smartTv', 'other'],
  ] as const)('%s → %s', (name, expected) => {
    expect(classifyDevice(UA[name])).toBe(expected);
  });

  it('calls a missing or blank User-Agent "other"', () => {
    expect(classifyDevice(undefined)).toBe('other');
    expect(classifyDevice('  ')).toBe('other');
  });
});
