// The text of a registry's error answer, worded as containers/image's
// registryHTTPResponseToError words it (docker/distribution's errcode rules included).
import {parseWwwAuthenticate} from './www-authenticate'

// errcode and registry/api/v2 descriptors: code → default message
const DEFAULT_MESSAGES: ReadonlyMap<string, string> = new Map([
  ['UNKNOWN', 'unknown error'],
  ['UNSUPPORTED', 'The operation is unsupported.'],
  ['UNAUTHORIZED', 'authentication required'],
  ['DENIED', 'requested access to the resource is denied'],
  ['UNAVAILABLE', 'service unavailable'],
  ['TOOMANYREQUESTS', 'too many requests'],
  ['DIGEST_INVALID', 'provided digest did not match uploaded content'],
  ['SIZE_INVALID', 'provided length did not match content length'],
  ['RANGE_INVALID', 'invalid content range'],
  ['NAME_INVALID', 'invalid repository name'],
  ['TAG_INVALID', 'manifest tag did not match URI'],
  ['NAME_UNKNOWN', 'repository name not known to registry'],
  ['MANIFEST_UNKNOWN', 'manifest unknown'],
  ['MANIFEST_INVALID', 'manifest invalid'],
  ['MANIFEST_UNVERIFIED', 'manifest failed signature verification'],
  ['MANIFEST_BLOB_UNKNOWN', 'blob unknown to registry'],
  ['BLOB_UNKNOWN', 'blob unknown to registry'],
  ['BLOB_UPLOAD_UNKNOWN', 'blob upload unknown to registry'],
  ['BLOB_UPLOAD_INVALID', 'blob upload invalid'],
  ['PAGINATION_NUMBER_INVALID', 'invalid number of results requested'],
])

export interface ErrorResponse {
  status: number
  /** "Internal Server Error"; the standard text is used when empty */
  statusText: string
  body: Buffer
  wwwAuthenticate: string | null
}

export interface DescribedError {
  /** one line, without context */
  text: string
  /** the distribution error code, when the answer carried one */
  errorCode?: string
  /** true when the body was not a distribution error document */
  unparsed: boolean
}

interface CodedError {
  code: string
  message: string
  /** errcode.Errors.UnmarshalJSON keeps an entry without detail and with the default (or no) message as a bare ErrorCode */
  bare: boolean
}

const STANDARD_STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  416: 'Requested Range Not Satisfiable',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
}

function registeredCode(code: string): string {
  return DEFAULT_MESSAGES.has(code) ? code : 'UNKNOWN'
}

/** errcode.ErrorCode.Error(): "MANIFEST_UNKNOWN" → "manifest unknown" */
function codeText(code: string): string {
  return code.toLowerCase().replace(/_/g, ' ')
}

/**
 * One distribution error as containers/image 5.23 (Podman 4.3.1) prints it: a bare ErrorCode as its
 * text, an Error (with detail or its own message) as errcode.Error.Error(), "<code>: <message>".
 */
function codedErrorText(e: CodedError): string {
  if (e.bare) return codeText(e.code)
  return `${codeText(e.code)}: ${e.message}`
}

/** distribution's parseHTTPErrorResponse: the first error of the body, or undefined when it has none. */
function parseBody(status: number, body: Buffer): CodedError | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(body.toString('utf8'))
  } catch {
    return undefined
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined
  const document = parsed as Record<string, unknown>
  // irregular bodies with a "details" string (Docker Hub's token service)
  if (typeof document.details === 'string' && document.details !== '') {
    const code = status === 401 ? 'UNAUTHORIZED' : status === 429 ? 'TOOMANYREQUESTS' : 'UNKNOWN'
    return {code, message: document.details, bare: false}
  }
  const errors = document.errors
  if (!Array.isArray(errors) || errors.length === 0) return undefined
  const first: unknown = errors[0]
  if (first === null || typeof first !== 'object') return undefined
  const e = first as Record<string, unknown>
  if (e.code !== undefined && typeof e.code !== 'string') return undefined
  if (e.message !== undefined && e.message !== null && typeof e.message !== 'string') return undefined
  const code = registeredCode(typeof e.code === 'string' ? e.code : '')
  const message = typeof e.message === 'string' ? e.message : ''
  const hasDetail = e.detail !== undefined && e.detail !== null
  return {code, message, bare: !hasDetail && (message === '' || message === DEFAULT_MESSAGES.get(code))}
}

/** The OAuth error of a Bearer challenge on a 401 (RFC 6750 §3.1), which takes precedence over the body. */
function bearerChallengeError(wwwAuthenticate: string | null): CodedError | undefined {
  for (const challenge of parseWwwAuthenticate(wwwAuthenticate)) {
    if (challenge.scheme !== 'bearer') continue
    const code =
      challenge.parameters.error === 'invalid_token'
        ? 'UNAUTHORIZED'
        : challenge.parameters.error === 'insufficient_scope'
          ? 'DENIED'
          : undefined
    if (code === undefined) continue
    return {code, message: challenge.parameters.error_description || DEFAULT_MESSAGES.get(code)!, bare: false}
  }
  return undefined
}

function goQuote(text: string): string {
  return JSON.stringify(text)
}

export function describeErrorResponse(response: ErrorResponse): DescribedError {
  const {status, body} = response
  if (status < 400 || status >= 500) {
    const statusText = response.statusText || STANDARD_STATUS_TEXT[status] || ''
    return {text: `received unexpected HTTP status: ${status} ${statusText}`.trimEnd(), unparsed: true}
  }
  const fromHeader = status === 401 ? bearerChallengeError(response.wwwAuthenticate) : undefined
  const coded = fromHeader ?? parseBody(status, body)
  if (coded) return {text: codedErrorText(coded), errorCode: coded.code, unparsed: false}
  if (status === 401) {
    // ErrorCodeUnauthorized.WithDetail(body): an Error with the default message
    return {text: `unauthorized: ${DEFAULT_MESSAGES.get('UNAUTHORIZED')!}`, errorCode: 'UNAUTHORIZED', unparsed: true}
  }
  let sample = body.subarray(0, 50).toString('utf8')
  if (body.length > 50) sample += '...'
  return {text: `StatusCode: ${status}, ${goQuote(sample)}`, unparsed: true}
}

/** containers/image's isManifestUnknownError, for a 404 answer to a manifest request. */
export function isManifestUnknown(described: DescribedError, status: number): boolean {
  if (described.errorCode === 'MANIFEST_UNKNOWN') return true
  if (described.errorCode === 'UNKNOWN' && /not found/i.test(described.text)) return true
  return described.unparsed && status === 404
}
