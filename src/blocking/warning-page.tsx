// The page a blocked code's scans land on, server-rendered with hono/jsx (which escapes every
// value: product and brand names are brand input). Says what consumers need and nothing more:
// the code was reported, the product may not be genuine, whom to ask. The brand's reason for the
// block stays internal (it may name an investigation, a supplier or a customer).
import { HostedDocument } from '../hosted-page/hosted-document';
import type { WarningPageFacts } from './warning-page-facts';

const STYLE = `
body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#f6f6f4}
main{max-width:40rem;margin:0 auto;padding:1.5rem}
.warning{background:#b00020;color:#fff;border-radius:.5rem;padding:1rem;margin:0 0 1.5rem}
.warning h1{margin:0 0 .25rem;font-size:1.4rem}
a{color:#0b57d0}
footer{margin-top:2rem;color:#777;font-size:.85rem}`;

const contactHref = (contact: string) => (contact.startsWith('https://') ? contact : `mailto:${contact}`);

function Contact({ facts }: { facts: WarningPageFacts }) {
  const who = facts.brandName ?? 'the brand';
  if (!facts.contact)
    return <p>If you bought this product, keep the pack and your receipt and contact {who}.</p>;
  return (
    <p>
      If you bought this product, keep the pack and your receipt and contact {who}:{' '}
      <a href={contactHref(facts.contact)} rel="noopener">
        {facts.contact}
      </a>
    </p>
  );
}

export function WarningPage({ facts }: { facts: WarningPageFacts }) {
  return (
    <HostedDocument title="This code has been reported" style={STYLE} noindex>
      <main>
        <section class="warning" role="alert">
          <h1>This code has been reported.</h1>
          <p>The product may not be genuine.</p>
        </section>
        {facts.productName ? <p>Product: {facts.productName}</p> : null}
        <Contact facts={facts} />
        <footer>
          GTIN {facts.gtin}
          {facts.lot ? ` · lot ${facts.lot}` : ''}
          {facts.serial ? ` · serial ${facts.serial}` : ''}
        </footer>
      </main>
    </HostedDocument>
  );
}
