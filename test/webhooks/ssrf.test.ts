import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/app.js';
import { recordEvent, startReceiver, subscribe, testDispatcher } from '../helpers/webhooks.js';
import { addressRefusal } from '../../src/services/webhooks/address-guard.js';

describe('webhook SSRF guard', () => {
  it('classifies addresses', () => {
    const cases: [string, string | null][] = [
      ['127.0.0.1', 'loopback'],
      ['127.255.0.9', 'loopback'],
      ['::1', 'loopback'],
      ['10.1.2.3', 'private'],
      ['172.16.0.1', 'private'],
      ['172.31.255.255', 'private'],
      ['192.168.1.1', 'private'],
      ['fd12:3456::1', 'private'],
      ['169.254.169.254', 'cloud metadata'],
      ['fd00:ec2::254', 'cloud metadata'],
      ['169.254.10.1', 'link-local'],
      ['fe80::1', 'link-local'],
      ['100.64.0.1', 'carrier-grade NAT'],
      ['100.127.255.254', 'carrier-grade NAT'],
      ['0.0.0.0', 'unspecified'],
      ['::', 'unspecified'],
      ['::ffff:127.0.0.1', 'loopback'],
      ['::ffff:a9fe:a9fe', 'cloud metadata'],
      ['::ffff:8.8.8.8', null],
      // NAT64, IPv4-compatible, IPv4-translated, 6to4 and Teredo forms judged by the IPv4 they carry.
      ['64:ff9b::7f00:1', 'loopback'],
      ['64:ff9b::10.0.0.1', 'private'],
      ['64:ff9b::808:808', null],
      ['64:ff9b:1::808:808', 'NAT64 local-use'],
      ['::7f00:1', 'loopback'],
      ['::127.0.0.1', 'loopback'],
      ['::808:808', 'IPv4-compatible'],
      ['::ffff:0:7f00:1', 'loopback'],
      ['::ffff:0:808:808', 'IPv4-translated'],
      ['2002:7f00:1::', 'loopback'],
      ['2002:a9fe:a9fe::1', 'cloud metadata'],
      ['2002:808:808::1', null],
      ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'loopback'],
      ['2001:0:7f00:1::', 'loopback'],
      ['2001:0:4136:e378:8000:63bf:f7f7:f7f7', null],
      // IPv6 that is not global unicast.
      ['fec0::1', 'site-local'],
      ['fe80::1%eth0', 'link-local'],
      ['ff02::1', 'multicast'],
      ['100::1', 'discard-only'],
      ['2001:db8::1', 'documentation'],
      ['3fff::1', 'documentation'],
      ['2001:2::1', 'benchmarking'],
      ['2001:10::1', 'ORCHID'],
      ['4000::1', 'not global unicast'],
      ['1::', 'not global unicast'],
      ['2a00:1450:4001::200e', null],
      ['224.0.0.1', 'multicast'],
      ['93.184.216.34', null],
      ['172.32.0.1', null],
      ['100.128.0.1', null],
      ['2606:4700:4700::1111', null],
      ['8.8.8.8', null],
    ];
    for (const [address, reason] of cases) assert.equal(addressRefusal(address), reason, address);
  });

  it('refuses private destinations at delivery time unless CASA_WEBHOOK_ALLOW_PRIVATE', async (t) => {
    // The URLs were stored while private addresses were allowed; the server now refuses them.
    const ctx = await buildTestApp(t, { webhookAllowPrivate: true, webhookSchedule: [0] });
    const company = await ctx.createCompany();
    const receiver = await startReceiver(t);
    const port = new URL(receiver.url).port;
    const urls = [
      receiver.url,
      `http://localhost:${port}/hook`,
      `http://[::1]:${port}/hook`,
      `http://169.254.169.254/latest/meta-data`,
      `http://[fd00:ec2::254]/`,
      `http://100.64.0.1/`,
      `http://0.0.0.0:${port}/`,
      `http://[64:ff9b::7f00:1]:${port}/`,
      `http://[::7f00:1]:${port}/`,
      `http://[::ffff:0:7f00:1]:${port}/`,
      `http://[2002:7f00:1::]:${port}/`,
    ];
    await subscribe(ctx, company, urls.slice(0, 10), ['moved_to_pending']);
    const second = await ctx.createCompany();
    await subscribe(ctx, second, urls.slice(10), ['moved_to_pending']);
    ctx.config.webhookAllowPrivate = false;
    const dispatcher = testDispatcher(ctx, t);
    await recordEvent(ctx, { companyId: company.id });
    await recordEvent(ctx, { companyId: second.id });
    await dispatcher.drain();
    assert.equal(receiver.received.length, 0);
    const items = (await ctx.inject({ method: 'GET', url: '/admin/v1/webhook-deliveries?limit=100', headers: ctx.adminHeaders })).json()
      .items as { url: string; status: string; attempts: { error: string; status_code: number | null }[] }[];
    const errors = Object.fromEntries(items.map((d) => [d.url, d.attempts[0]!.error]));
    assert.deepEqual(errors, {
      [urls[0]!]: 'refused: 127.0.0.1 is not a public address (loopback)',
      [urls[1]!]: errors[urls[1]!]!.includes('::1')
        ? 'refused: localhost resolves to ::1, not a public address (loopback)'
        : 'refused: localhost resolves to 127.0.0.1, not a public address (loopback)',
      [urls[2]!]: 'refused: ::1 is not a public address (loopback)',
      [urls[3]!]: 'refused: 169.254.169.254 is not a public address (cloud metadata)',
      [urls[4]!]: 'refused: fd00:ec2::254 is not a public address (cloud metadata)',
      [urls[5]!]: 'refused: 100.64.0.1 is not a public address (carrier-grade NAT)',
      [urls[6]!]: 'refused: 0.0.0.0 is not a public address (unspecified)',
      [urls[7]!]: 'refused: 64:ff9b::7f00:1 is not a public address (loopback)',
      [urls[8]!]: 'refused: ::7f00:1 is not a public address (loopback)',
      [urls[9]!]: 'refused: ::ffff:0:7f00:1 is not a public address (loopback)',
      [urls[10]!]: 'refused: 2002:7f00:1:: is not a public address (loopback)',
    });
    assert.ok(items.every((d) => d.status === 'failed' && d.attempts[0]!.status_code === null));
  });

  it('delivers to loopback when private addresses are allowed', async (t) => {
    const ctx = await buildTestApp(t, { webhookAllowPrivate: true });
    const company = await ctx.createCompany();
    const receiver = await startReceiver(t);
    await subscribe(ctx, company, [`http://localhost:${new URL(receiver.url).port}/hook`], ['moved_to_pending']);
    const dispatcher = testDispatcher(ctx, t);
    await recordEvent(ctx, { companyId: company.id });
    await dispatcher.drain();
    assert.equal(receiver.received.length, 1);
  });
});
