// ISO 4217 alpha-3 codes of currencies in circulation (ISO 4217 List One, 2025), without the
// fund, precious-metal and testing codes (XAU, XTS, …) that no shelf price is quoted in.
import * as z from 'zod';

const ISO4217_ALPHA3: ReadonlySet<string> = new Set(
  `
  AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD
  CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP
  GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD
  KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN
  NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP
  SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED VES
  VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG
`
    .trim()
    .split(/\s+/),
);

/** An ISO 4217 currency code, upper-case (`eur` is read as `EUR`). */
export const currencyCodeSchema = z
  .string()
  .transform((s) => s.toUpperCase())
  .refine((code) => ISO4217_ALPHA3.has(code), { message: 'must be an ISO 4217 currency code, like "EUR"' });
