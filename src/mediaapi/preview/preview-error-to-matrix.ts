/**
 * What a client is told when a preview cannot be made. The answers are Synapse's, so clients
 * written against it behave the same: a denied IP literal is 403 "IP address blocked"; a name
 * resolving to a denied address is indistinguishable from a name that does not resolve (502),
 * so the endpoint cannot be used to map which internal names exist; all with `M_UNKNOWN`.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { PreviewFetchError } from './preview-fetch-error.js';

/** The client-facing error for a failed fetch. */
export function previewErrorToMatrix(e: PreviewFetchError): MatrixError {
  switch (e.kind) {
    case 'blocked_ip':
      return MatrixError.unknown('IP address blocked', 403);
    case 'blocked_name':
    case 'dns':
      return MatrixError.unknown('DNS resolution failure during URL preview generation', 502);
    case 'bad_url':
      return MatrixError.unknown(`Invalid URL: ${e.message}`, 400);
    case 'too_large':
      return new MatrixError(502, 'M_TOO_LARGE', 'The content is too large to preview');
    case 'too_many_redirects':
      return MatrixError.unknown('Too many redirects', 502);
    case 'timeout':
      return MatrixError.unknown('Timed out fetching the URL', 504);
    case 'status':
    case 'network':
      // Details of the remote failure stay in our logs: they may describe internal hosts.
      return MatrixError.unknown('Failed to download content', 502);
  }
}
