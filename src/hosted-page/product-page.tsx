// The hosted product page, server-rendered with hono/jsx: every value from the catalog is
// untrusted brand input, and JSX escapes it in text and attributes alike.
import { HostedDocument } from './hosted-document';
import type { HostedProduct } from './hosted-product';

const STYLE = `
body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#f6f6f4}
main{max-width:40rem;margin:0 auto;padding:1.5rem}
img{max-width:100%;height:auto;border-radius:.5rem;background:#fff}
.notice{border-radius:.5rem;padding:1rem;margin:0 0 1.5rem}
.recall{background:#b00020;color:#fff}
.recall h2{margin:0 0 .25rem;font-size:1.25rem}
.info{background:#fff3cd}
.brand{color:#555;margin:0}
ul{padding:0;list-style:none}
li{margin:.5rem 0}
li a{display:block;padding:.75rem 1rem;background:#fff;border-radius:.5rem;color:#0b57d0;text-decoration:none}
small{color:#555}
footer{margin-top:2rem;color:#777;font-size:.85rem}`;

const dateOf = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString().slice(0, 10));

function RecallNotice({ product }: { product: HostedProduct }) {
  if (product.recall) {
    const when = dateOf(product.recall.recalledAt);
    return (
      <section class="notice recall" role="alert">
        <h2>Recall notice: lot {product.lot}</h2>
        <p>
          This lot of the product has been recalled{when ? ` on ${when}` : ''}. Do not use or consume it;
          return it to the store or contact the brand.
        </p>
        {product.recall.reason ? <p>Reason: {product.recall.reason}</p> : null}
      </section>
    );
  }
  if (product.status === 'recalled') {
    return (
      <section class="notice recall" role="alert">
        <h2>Recall notice</h2>
        <p>
          This product has been recalled. Do not use or consume it; return it to the store or contact the
          brand.
        </p>
      </section>
    );
  }
  if (product.status === 'discontinued') return <p class="notice info">This product is discontinued.</p>;
  return null;
}

export function ProductPage({ product }: { product: HostedProduct }) {
  const title = product.name ?? `Product ${product.gtin}`;
  return (
    <HostedDocument title={product.brand ? `${title} – ${product.brand}` : title} style={STYLE}>
      <main>
        <RecallNotice product={product} />
        {product.image ? <img src={product.image} alt={title} /> : null}
        <h1>{title}</h1>
        {product.brand ? <p class="brand">{product.brand}</p> : null}
        {product.description ? <p>{product.description}</p> : null}
        {product.links.length > 0 ? (
          <ul>
            {product.links.map((link) => (
              <li>
                <a href={link.href} rel="noopener">
                  {link.title} <small>{link.kind}</small>
                </a>
              </li>
            ))}
          </ul>
        ) : null}
        <footer>
          GTIN {product.gtin}
          {product.lot ? ` · lot ${product.lot}` : ''}
        </footer>
      </main>
    </HostedDocument>
  );
}
