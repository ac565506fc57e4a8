import { DEMO_LINK_ENTITIES } from '../../src/demo/demo-links';
import { createOrganization, type TestOrg } from './accounts';
import { call } from './http';

/** An organisation owning GS1's sample products and assets, loaded through the links API. */
export async function orgWithDemoLinks(): Promise<TestOrg> {
  const org = await createOrganization('Dal Giardino');
  const res = await call('POST', '/v1/links/bulk', {
    key: org.ownerKey,
    body: { entries: DEMO_LINK_ENTITIES },
  });
  if (res.status !== 200) throw new Error(`seeding demo links failed: ${res.status} ${await res.text()}`);
  return org;
}
