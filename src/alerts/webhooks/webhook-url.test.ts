import { describe, expect, it } from 'vitest';
import { isPrivateIPv4, isPrivateIPv6, webhookUrlProblem } from './webhook-url';

describe('webhook URL check', () => {
  it('accepts https URLs on public hosts, with ports, paths and queries', () => {
    for (const url of [
      'https://hooks.brand.com/dle',
      'https://hooks.brand.com:8443/x?token=abc',
      'https://93.184.216.34/hook',
      'https://[2606:4700::6810:84e5]/hook',
    ]) {
      expect(webhookUrlProblem(url), url).toBeNull();
    }
  });

  it('rejects http, credentials and non-URLs', () => {
    expect(webhookUrlProblem('http://hooks.brand.com/dle')).toMatch(/https/);
    expect(webhookUrlProblem('https://user:pass@hooks.brand.com/')).toMatch(/credentials/);
    expect(webhookUrlProblem('hooks.brand.com')).toMatch(/absolute/);
    expect(webhookUrlProblem('ftp://hooks.brand.com/')).toMatch(/https/);
  });

  it('rejects loopback, private, link-local and internal hosts in every spelling', () => {
    for (const url of [
      'https://localhost/',
      'https://LOCALHOST./',
      'https://api.localhost/',
      'https://printer.local/',
      'https://intranet/',
      'https://127.0.0.1/',
      'https://2130706433/',
      'https://0x7f.1/',
      'https://10.1.2.3/',
      'https://172.20.0.1/',
      'https://192.168.1.1/',
      'https://169.254.169.254/latest/meta-data',
      'https://100.64.0.1/',
      'https://0.0.0.0/',
      'https://[::1]/',
      'https://[::]/',
      'https://[fd00::1]/',
      'https://[fe80::1]/',
      'https://[::ffff:127.0.0.1]/',
      'https://[::ffff:10.0.0.1]/',
      'https://[64:ff9b::a00:1]/',
      'https://[::127.0.0.1]/',
      'https://[::ffff:0:7f00:1]/',
      'https://[64:ff9b:1::7f00:1]/',
      'https://[2002:7f00:1::]/',
      'https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/', // Teredo
      'https://[fec0::1]/',
      'https://localhost../',
      'https://router.localdomain/',
      'https://nas.home/',
      'https://duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczad.onion/',
      'https://kubernetes.default.svc/',
    ]) {
      expect(webhookUrlProblem(url), url).not.toBeNull();
    }
  });

  it('classifies address blocks by their prefix', () => {
    expect(isPrivateIPv4('172.15.255.255')).toBe(false);
    expect(isPrivateIPv4('172.16.0.0')).toBe(true);
    expect(isPrivateIPv4('172.31.255.255')).toBe(true);
    expect(isPrivateIPv4('172.32.0.0')).toBe(false);
    expect(isPrivateIPv4('8.8.8.8')).toBe(false);
    expect(isPrivateIPv6('2001:4860:4860::8888')).toBe(false);
    expect(isPrivateIPv6('::ffff:8.8.8.8')).toBe(false);
  });
});
