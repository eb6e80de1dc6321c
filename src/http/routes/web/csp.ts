// The Content-Security-Policy of the web pages: everything from this origin, no inline script.

export const CONTENT_SECURITY_POLICY = {
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'"],
  // model-viewer fetches the glTF, and buffers it unpacks as blob: or data: URLs.
  'connect-src': ["'self'", 'blob:', 'data:'],
  'worker-src': ["'self'", 'blob:'],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'base-uri': ["'none'"],
  'object-src': ["'none'"],
};

/** Serialises a policy for a `content-security-policy` header. */
export function cspHeader(directives: Record<string, string[]>): string {
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}

/**
 * The 3D viewer's policy: the same, plus what <model-viewer> needs and nothing more —
 * WebAssembly compilation (its meshopt decoder; no JavaScript eval) and the one <style> element its
 * template puts in its shadow root, allowed by hash (4.4.0; a version that changes it fails the
 * viewer test, which watches for CSP violations).
 */
export const VIEWER_CONTENT_SECURITY_POLICY = {
  ...CONTENT_SECURITY_POLICY,
  'script-src': ["'self'", "'wasm-unsafe-eval'"],
  'style-src': ["'self'", "'sha256-PXtZZkJMMyc18o/DN1ZEFOJ2qEGq95IQbVaJFMOXOb0='"],
};
