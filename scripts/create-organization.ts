// Creates an organisation and its first owner API key on a deployment (or locally), and prints
// the key once. This is how a fresh deployment gets its first key: every later key is made
// through the API by an owner or manager.
//
//   npm run org:create -- --name "Acme Foods" --prefix 950600 [--prefix …] [--remote]
//   npm run org:create -- --name "Acme Foods" --all-prefixes   (a single-brand deployment)
import { parseArgs } from 'node:util';
import { generateApiKey } from '../src/accounts/api-key-secret.ts';
import { organizationBootstrapSql } from '../src/accounts/bootstrap-sql.ts';
import { grantProblem } from '../src/accounts/company-prefix.ts';
import { newId } from '../src/db/ids.ts';
import { executeSql } from './lib/wrangler.ts';

const { values } = parseArgs({
  options: {
    name: { type: 'string' },
    prefix: { type: 'string', multiple: true, default: [] },
    'all-prefixes': { type: 'boolean', default: false },
    remote: { type: 'boolean', default: false },
  },
});
if (!values.name?.trim() || (values.prefix.length === 0 && !values['all-prefixes'])) {
  console.error(
    'Usage: npm run org:create -- --name "Organisation name" (--prefix <GS1 Company Prefix> … | --all-prefixes) [--remote]',
  );
  process.exit(2);
}
for (const prefix of values.prefix) {
  const problem = grantProblem({ kind: 'gcp', prefix });
  if (problem) {
    console.error(problem);
    process.exit(2);
  }
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
    prefixes: values.prefix,
    holdsAllPrefixes: values['all-prefixes'],
  }),
  values.remote ? '--remote' : '--local',
  { quiet: true },
);
console.log(`Organisation ${orgId} created (${values.remote ? 'remote' : 'local'} D1).`);
console.log(`Owner API key (shown once, store it now): ${secret.key}`);
