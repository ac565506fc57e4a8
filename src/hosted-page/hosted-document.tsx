// The HTML document around every page this Worker serves to consumers (product pages, the
// blocked-code warning): doctype, phone viewport, one inline stylesheet (the CSP's style-src, in
// hosted-page.routes.tsx, allows inline styles and nothing else).

import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';

export function HostedDocument(props: { title: string; style: string; noindex?: boolean; children: Child }) {
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          {props.noindex ? <meta name="robots" content="noindex" /> : null}
          <title>{props.title}</title>
          <style>{raw(props.style)}</style>
        </head>
        <body>{props.children}</body>
      </html>
    </>
  );
}
