import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { MiddlewareHandler } from 'hono';
import { selfOnlyCsp } from '../csp.ts';
import { errorResponse } from '../errors.ts';
import type { ApiApp, AppEnv } from '../types.ts';

export const DOCS_PATH = '/api/v1/docs';
export const DOCS_ASSETS_PATH = `${DOCS_PATH}/assets`;
const OPENAPI_PATH = '/api/v1/openapi.json';

/**
 * Exactly what the page needs: Swagger UI's script and styles from this server, its inline SVG icons
 * (data: URLs), and the OpenAPI document (and "Try it out") from this origin. Nothing inline runs.
 */
export const DOCS_CSP = selfOnlyCsp({ imgSrc: ['data:'] });

const DOCS_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Depot admin API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" type="image/png" href="${DOCS_ASSETS_PATH}/favicon-32x32.png">
<link rel="stylesheet" href="${DOCS_ASSETS_PATH}/swagger-ui.css">
<link rel="stylesheet" href="${DOCS_ASSETS_PATH}/index.css">
</head><body>
<noscript>The OpenAPI document is at <a href="${OPENAPI_PATH}">${OPENAPI_PATH}</a>.</noscript>
<div id="swagger-ui" data-url="${OPENAPI_PATH}"></div>
<script src="${DOCS_ASSETS_PATH}/swagger-ui-bundle.js"></script>
<script src="${DOCS_ASSETS_PATH}/init.js"></script>
</body></html>`;

// validatorUrl null: Swagger UI would otherwise send the document to validator.swagger.io
const INIT_JS = `window.ui = SwaggerUIBundle({
  url: document.getElementById('swagger-ui').dataset.url,
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: null,
});
`;

/** The files of the pinned swagger-ui-dist package that the page loads; nothing else is served. */
const SWAGGER_FILES: Record<string, string> = {
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui.css': 'text/css; charset=utf-8',
  'index.css': 'text/css; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

function swaggerDir(): string {
  return dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
}

const withCsp: MiddlewareHandler<AppEnv> = async (c, next) => {
  // set before next(): the global secure headers keep a CSP a route already set
  c.header('Content-Security-Policy', DOCS_CSP);
  await next();
};

/** GET /api/v1/docs (Swagger UI) and its assets, served from node_modules: no CDN, works offline. */
export function registerDocsRoutes(app: ApiApp) {
  const dir = swaggerDir();
  const cache = new Map<string, Uint8Array<ArrayBuffer>>();
  app.get(DOCS_PATH, withCsp, (c) => c.html(DOCS_HTML));
  app.get(`${DOCS_ASSETS_PATH}/:file`, withCsp, async (c) => {
    const file = c.req.param('file');
    const headers = { 'Cache-Control': 'public, max-age=3600' };
    if (file === 'init.js') {
      return c.body(INIT_JS, 200, { ...headers, 'Content-Type': 'text/javascript; charset=utf-8' });
    }
    const type = Object.hasOwn(SWAGGER_FILES, file) ? SWAGGER_FILES[file] : undefined;
    if (!type) return errorResponse(c, 'not_found', `no docs asset ${file}`);
    let bytes = cache.get(file);
    if (!bytes) {
      bytes = new Uint8Array(await readFile(join(dir, file)));
      cache.set(file, bytes);
    }
    return c.body(bytes, 200, { ...headers, 'Content-Type': type });
  });
}
