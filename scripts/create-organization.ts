// Creates an organisation and its first owner API key on a deployment (or locally), and prints
// the key once. This is how a fresh deployment gets its first key: every later key is made
// through the API by an owner or manager.
//
//   npm run org:create -- --name "Acme Foods" --remote
import { parseArgs } from 'node:util';
import { generateApiKey } from '../src/accounts/api-key-secret.ts';
import { organizationBootstrapSql } from '../src/accounts/bootstrap-sql.ts';
import { newId } from '../src/db/ids.ts';
import { executeSql } from './lib/wrangler.ts';

const { values } = parseArgs({
  options: { name: { type: 'string' }, remote: { type: 'boolean', default: false } },
});
if (!values.name?.trim()) {
  console.error('Usage: npm run org:create -- --name "Organisation name" [--remote]');
  process.exit(2);
}

const secret = await generateApiKey();
const orgId = newId('org');
executeSql(
  organizationBootstrapSql({
    orgId,
    orgName: values.name.trim(),
    keyId: newId('key'),
    keyName: 'first owner key',
    keyPrefix: secret.prefix,
    keyHash: secret.hash,
    createdAt: Date.now(),
  }),
  values.remote ? '--remote' : '--local',
  { quiet: true },
);
console.log(`Organisation ${orgId} created (${values.remote ? 'remote' : 'local'} D1).`);
console.log(`Owner API key (shown once, store it now): ${secret.key}`);
