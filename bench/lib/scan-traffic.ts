// Scan requests that look like real traffic: phones, in-app browsers, a few desktops and bots,
// visitors from several countries (Cloudflare's `request.cf`), referrers and client addresses,
// so the recording does the work real scans cause (User-Agent parsing, bot check, one roll-up
// row per country, lot and dimension) rather than the cheapest case.
//
// `request.cf`: Miniflare's entry worker takes it from the `MF-CF-Blob` request header when one
// is sent (miniflare/dist/src/workers/core/entry.worker.js) instead of its fixed placeholder.
import type { FixedCountRequest } from './fixed-count-load.ts';

const UA = {
  iphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  android:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36',
  samsung:
    'Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36',
  instagram:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 300.0.0.0 (iPhone15,2; iOS 17_4)',
  wechat:
    'Mozilla/5.0 (Linux; Android 13; V2227A) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 MicroMessenger/8.0.47',
  ipad: 'Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  desktop:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
  googlebot: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  linkPreview: 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
  monitor: 'Mozilla/5.0 (compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)',
};

/** Twenty slots: 15 phones and tablets (3 of them in-app browsers), 2 desktops, 3 bots (15 %). */
const UA_MIX = [
  UA.iphone,
  UA.android,
  UA.iphone,
  UA.samsung,
  UA.instagram,
  UA.iphone,
  UA.android,
  UA.googlebot,
  UA.iphone,
  UA.wechat,
  UA.desktop,
  UA.android,
  UA.iphone,
  UA.ipad,
  UA.linkPreview,
  UA.android,
  UA.instagram,
  UA.desktop,
  UA.iphone,
  UA.monitor,
];
export const BOT_SHARE = 3 / UA_MIX.length;

const PLACES = [
  {
    country: 'FR',
    region: 'Île-de-France',
    city: 'Paris',
    latitude: '48.85660',
    longitude: '2.35220',
    timezone: 'Europe/Paris',
    colo: 'CDG',
  },
  {
    country: 'DE',
    region: 'Berlin',
    city: 'Berlin',
    latitude: '52.52000',
    longitude: '13.40500',
    timezone: 'Europe/Berlin',
    colo: 'TXL',
  },
  {
    country: 'US',
    region: 'Texas',
    city: 'Austin',
    latitude: '30.26720',
    longitude: '-97.74310',
    timezone: 'America/Chicago',
    colo: 'DFW',
  },
  {
    country: 'JP',
    region: 'Tokyo',
    city: 'Tokyo',
    latitude: '35.67620',
    longitude: '139.65030',
    timezone: 'Asia/Tokyo',
    colo: 'NRT',
  },
  {
    country: 'BR',
    region: 'São Paulo',
    city: 'São Paulo',
    latitude: '-23.55050',
    longitude: '-46.63330',
    timezone: 'America/Sao_Paulo',
    colo: 'GRU',
  },
  {
    country: 'IN',
    region: 'Maharashtra',
    city: 'Mumbai',
    latitude: '19.07600',
    longitude: '72.87770',
    timezone: 'Asia/Kolkata',
    colo: 'BOM',
  },
  {
    country: 'GB',
    region: 'England',
    city: 'London',
    latitude: '51.50740',
    longitude: '-0.12780',
    timezone: 'Europe/London',
    colo: 'LHR',
  },
  {
    country: 'IT',
    region: 'Lombardy',
    city: 'Milan',
    latitude: '45.46420',
    longitude: '9.19000',
    timezone: 'Europe/Rome',
    colo: 'MXP',
  },
  {
    country: 'AU',
    region: 'New South Wales',
    city: 'Sydney',
    latitude: '-33.86880',
    longitude: '151.20930',
    timezone: 'Australia/Sydney',
    colo: 'SYD',
  },
  {
    country: 'US',
    region: 'New York',
    city: 'New York',
    latitude: '40.71280',
    longitude: '-74.00600',
    timezone: 'America/New_York',
    colo: 'EWR',
  },
  {}, // a request Cloudflare could not place
];

const REFERRERS = [
  'https://l.instagram.com/?u=https%3A%2F%2Fid.example',
  'https://www.google.com/',
  '',
  '',
  '',
];
const LANGUAGES = ['fr-FR,fr;q=0.9', 'de-DE', 'en-US,en;q=0.8', 'ja-JP', 'pt-BR', 'en-GB', 'it-IT'];

/** HTTP header values are Latin-1 on the wire: escape the rest, as JSON allows. */
const asciiJson = (value: unknown) =>
  JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

// 7 × 11 × 20 × … combinations, cycled with co-prime strides so they mix rather than march.
const VARIANTS = 997; // prime: the cycle does not line up with the 37 lots
const HEADER_SETS: Record<string, string>[] = Array.from({ length: VARIANTS }, (_, k) => {
  const headers: Record<string, string> = {
    'user-agent': UA_MIX[k % UA_MIX.length]!,
    'mf-cf-blob': asciiJson(PLACES[(k * 7) % PLACES.length]),
    'accept-language': LANGUAGES[(k * 3) % LANGUAGES.length]!,
    // Documentation address ranges: ~250 distinct scanners a day per User-Agent.
    'cf-connecting-ip': `${k % 2 ? '198.51.100' : '203.0.113'}.${(k * 13) % 250}`,
  };
  const referrer = REFERRERS[(k * 11) % REFERRERS.length];
  if (referrer) headers.referer = referrer;
  return headers;
});

/** Headers of the i-th scan: the same for every scenario, so they differ only in the path. */
export function scanHeaders(i: number): Record<string, string> {
  return HEADER_SETS[i % VARIANTS]!;
}

/** Whether the i-th scan is sent with a bot's User-Agent. */
export function isBotScan(i: number): boolean {
  const ua = scanHeaders(i)['user-agent'];
  return ua === UA.googlebot || ua === UA.linkPreview || ua === UA.monitor;
}

/**
 * The i-th scan of a key: 37 lots, every serial distinct (`<serialPrefix><i>`) and unknown to the
 * resolver, so each walks up serial → lot → GTIN, as most real scans of serialised packs would.
 */
export function scanRequest(gtin: string, serialPrefix: string): (i: number) => FixedCountRequest {
  return (i) => ({ path: `/01/${gtin}/10/LOT${i % 37}/21/${serialPrefix}${i}`, headers: scanHeaders(i) });
}

/** The bare 307 route with the same headers as the scans. */
export function bareRequest(path: string): (i: number) => FixedCountRequest {
  return (i) => ({ path, headers: scanHeaders(i) });
}
