// Which app a scan came through. In-app browsers announce themselves with tokens bowser does not
// name (Instagram, Facebook, WeChat …); everything else is the browser bowser recognises.
import Bowser from 'bowser';

const IN_APP: [RegExp, string][] = [
  [/\bInstagram\b/i, 'Instagram'],
  [/\bFBAN\/|\bFBAV\//, 'Facebook'],
  [/\bMicroMessenger\//i, 'WeChat'],
  [/\bLine\//, 'LINE'],
  [/\bSnapchat\b/i, 'Snapchat'],
  [/\bmusical_ly|\bBytedanceWebview|\bTikTok\b/i, 'TikTok'],
  [/\bPinterest\b/i, 'Pinterest'],
  [/\bTwitter\b/i, 'X (Twitter)'],
  [/\bGSA\//, 'Google app'],
  [/\bKAKAOTALK\b/i, 'KakaoTalk'],
];

export function scannerApp(userAgent: string): string | null {
  if (!userAgent) return null;
  for (const [pattern, name] of IN_APP) if (pattern.test(userAgent)) return name;
  return Bowser.getParser(userAgent).getBrowserName() || null;
}
