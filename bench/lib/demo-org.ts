// The demo organisation every resolver benchmark serves: its rows by SQL (before the Worker
// runs), GS1's sample links through the links API (once it runs), and an owner API key.
import { generateApiKey } from '../../src/accounts/api-key-secret.ts';
import { DEMO_LINK_ENTITIES } from '../../src/demo/demo-links.ts';
import { demoSeedSql } from '../../src/demo/demo-seed.ts';

export interface DemoOrg {
  /** The owner's API key, for `Authorization: Bearer …`. */
  apiKey: string;
  /** The organisation and brand, for `serveWorker({ seedSql })`. */
  seedSql: string[];
  /** Publishes GS1's sample links through `POST /v1/links/bulk` of the served Worker. */
  seedLinks(origin: string): Promise<void>;
}

export async function demoOrg(): Promise<DemoOrg> {
  const { key, prefix, hash } = await generateApiKey();
  return {
    apiKey: key,
    seedSql: demoSeedSql({ prefix, hash }),
    async seedLinks(origin) {
      const res = await fetch(`${origin}/v1/links/bulk`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ entries: DEMO_LINK_ENTITIES }),
      });
      if (!res.ok) throw new Error(`seeding links failed: ${res.status} ${await res.text()}`);
    },
  };
}
