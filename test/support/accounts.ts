// Test fixtures for organisations and keys, written to the real local D1 the Worker reads.
import { env } from 'cloudflare:workers';
import { generateApiKey } from '../../src/accounts/api-key-secret';
import { organizationBootstrapSql } from '../../src/accounts/bootstrap-sql';
import { newId } from '../../src/db/ids';
import type { ApiKeyRole } from '../../src/db/schema';

export interface TestOrg {
  orgId: string;
  ownerKey: string;
}

/**
 * An organisation with an owner key. By default a single-brand deployment's (all prefixes);
 * `prefixes` grants those GS1 Company Prefixes instead.
 */
export async function createOrganization(
  name = 'Acme Foods',
  grants: { prefixes?: readonly string[] } = {},
): Promise<TestOrg> {
  const secret = await generateApiKey();
  const orgId = newId('org');
  const statements = organizationBootstrapSql({
    orgId,
    orgName: name,
    keyId: newId('key'),
    keyName: 'first owner key',
    keyPrefix: secret.prefix,
    keyHash: secret.hash,
    createdAt: Date.now(),
    ...(grants.prefixes ? { prefixes: grants.prefixes } : { holdsAllPrefixes: true }),
  });
  await env.DB.batch(statements.map((s) => env.DB.prepare(s)));
  return { orgId, ownerKey: secret.key };
}

export interface KeyOptions {
  expiresAt?: number;
  revokedAt?: number;
}

/** A key of any role written straight to D1 (to test states the API cannot create, like expired keys). */
export async function insertKey(
  orgId: string,
  role: ApiKeyRole,
  options: KeyOptions = {},
): Promise<{ id: string; key: string }> {
  const secret = await generateApiKey();
  const id = newId('key');
  await env.DB.prepare(
    `INSERT INTO api_keys (id, org_id, name, prefix, key_hash, role, expires_at, revoked_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
    .bind(
      id,
      orgId,
      `${role} test key`,
      secret.prefix,
      secret.hash,
      role,
      options.expiresAt ?? null,
      options.revokedAt ?? null,
      Date.now(),
    )
    .run();
  return { id, key: secret.key };
}
