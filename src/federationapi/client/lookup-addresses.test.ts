import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lookupAddresses, lookupSrv, type DnsResolver, type SrvRecord } from './lookup-addresses.js';

const notFound = (): Promise<never> => Promise.reject(Object.assign(new Error('queryA ENOTFOUND'), { code: 'ENOTFOUND' }));
const timeout = (): Promise<never> => Promise.reject(Object.assign(new Error('queryA ETIMEOUT'), { code: 'ETIMEOUT' }));

function fakeDns(over: Partial<Record<'srv' | 'v4' | 'v6', () => Promise<unknown>>>): DnsResolver {
  return {
    resolveSrv: (over.srv ?? notFound) as DnsResolver['resolveSrv'],
    resolve4: (over.v4 ?? notFound) as DnsResolver['resolve4'],
    resolve6: (over.v6 ?? notFound) as DnsResolver['resolve6'],
  };
}

describe('lookupSrv', () => {
  it('orders by priority, then weighted within a priority', async () => {
    const records: SrvRecord[] = [
      { name: 'low', port: 1, priority: 20, weight: 0 },
      { name: 'w10', port: 2, priority: 10, weight: 10 },
      { name: 'w90', port: 3, priority: 10, weight: 90 },
    ];
    const dns = fakeDns({ srv: () => Promise.resolve(records) });
    assert.deepEqual((await lookupSrv(dns, 's', () => 0)).map((r) => r.name), ['w10', 'w90', 'low']);
    assert.deepEqual((await lookupSrv(dns, 's', () => 0.5)).map((r) => r.name), ['w90', 'w10', 'low']);
  });
  it('treats NXDOMAIN as no records but a timeout as a failure', async () => {
    assert.deepEqual(await lookupSrv(fakeDns({}), 's'), []);
    await assert.rejects(lookupSrv(fakeDns({ srv: timeout }), 's'), /SRV lookup of s failed/);
  });
});

describe('lookupAddresses', () => {
  it('returns A then AAAA, tolerating one missing family', async () => {
    assert.deepEqual(await lookupAddresses(fakeDns({ v4: () => Promise.resolve(['1.2.3.4']), v6: () => Promise.resolve(['::5']) }), 'h'), ['1.2.3.4', '::5']);
    assert.deepEqual(await lookupAddresses(fakeDns({ v6: () => Promise.resolve(['::5']) }), 'h'), ['::5']);
    assert.deepEqual(await lookupAddresses(fakeDns({}), '9.9.9.9'), ['9.9.9.9']);
  });
  it('fails with no records, or when lookups fail', async () => {
    await assert.rejects(lookupAddresses(fakeDns({}), 'h'), /h has no A or AAAA records/);
    await assert.rejects(lookupAddresses(fakeDns({ v4: timeout }), 'h'), /DNS lookup of h failed/);
  });
});
