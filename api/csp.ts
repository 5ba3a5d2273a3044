/**
 * A Content-Security-Policy for a page served entirely from this origin: scripts, styles, images,
 * fonts and fetches from 'self' only, plus the sources a page adds for one directive.
 */
export function selfOnlyCsp(extra: { styleSrc?: string[]; imgSrc?: string[] } = {}): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    ["style-src 'self'", ...(extra.styleSrc ?? [])].join(' '),
    ["img-src 'self'", ...(extra.imgSrc ?? [])].join(' '),
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
  ].join('; ');
}
