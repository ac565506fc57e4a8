// The class of device a scan came from, from its User-Agent: what brand rules and scan analytics
// group by. Bots first (isbot's curated pattern list, which also knows link-preview fetchers and
// monitoring agents), then bowser's platform type for everything else.
import Bowser from 'bowser';
import { isbot } from 'isbot';

export const DEVICE_CLASSES = ['mobile', 'tablet', 'desktop', 'bot', 'other'] as const;
export type DeviceClass = (typeof DEVICE_CLASSES)[number];

export function classifyDevice(userAgent: string | null | undefined): DeviceClass {
  const ua = userAgent?.trim();
  if (!ua) return 'other';
  if (isbot(ua)) return 'bot';
  // skipParsing: only the platform is parsed, on demand, not the browser, engine and OS.
  switch (Bowser.getParser(ua, true).getPlatformType(true)) {
    case 'mobile':
      return 'mobile';
    case 'tablet':
      return 'tablet';
    case 'desktop':
      return 'desktop';
    case 'bot':
      return 'bot';
    default:
      return 'other'; // TVs, consoles, and whatever bowser cannot place
  }
}
