// Errors a registry answered with, typed where callers branch on them.
import {ErrorDetails, TspodError} from '../../../../errors'

export interface RegistryErrorDetails extends ErrorDetails {
  /** the HTTP status of the registry's answer */
  statusCode?: number
  /** the distribution-spec error code ("MANIFEST_UNKNOWN"), "UNKNOWN" for unregistered codes */
  errorCode?: string
}

/** A registry answered a request with an error status. */
export class RegistryResponseError extends TspodError {
  readonly statusCode?: number
  readonly errorCode?: string

  constructor(message: string, details: RegistryErrorDetails = {}) {
    super(message, details)
    // wrap() re-creates errors from (message, {cause}): keep what the wrapped error knew
    const inner = details.cause instanceof RegistryResponseError ? details.cause : undefined
    this.statusCode = details.statusCode ?? inner?.statusCode
    this.errorCode = details.errorCode ?? inner?.errorCode
  }
}

/** 401: no credentials, wrong credentials, or a token the registry refuses. */
export class UnauthorizedError extends RegistryResponseError {}

/** The repository has no manifest with this tag or digest. */
export class ManifestUnknownError extends RegistryResponseError {}

/** 429 still, after every retry. */
export class TooManyRequestsError extends RegistryResponseError {}
