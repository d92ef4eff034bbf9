import { APICallError, LoadAPIKeyError, RetryError } from 'ai';

/**
 * What went wrong with a model provider, in words a person can act on: the real cause (a refused
 * key, an unknown model, a host that does not answer, a port fetch refuses) and what to do. Only
 * our own sentences: a provider's error body can echo the request (tool results), so it is never
 * passed on.
 */

export type ModelErrorCode =
  | 'bad_key'
  | 'missing_key'
  | 'unknown_model'
  | 'rate_limited'
  | 'request_refused'
  | 'provider_unavailable'
  | 'unreachable'
  | 'blocked_port'
  | 'timeout'
  | 'model_error';

export interface ModelErrorDescription {
  code: ModelErrorCode;
  message: string;
  /** The provider's HTTP status, when it answered. */
  statusCode?: number;
}

const FIX = 'An admin can fix it in Settings → Models.';

export function describeModelError(error: unknown, modelId?: string): ModelErrorDescription {
  const last = error instanceof RetryError ? error.lastError : error;
  if (LoadAPIKeyError.isInstance(last)) {
    return { code: 'missing_key', message: `The AI provider has no API key. ${FIX}` };
  }
  if (isAbort(last)) {
    return { code: 'timeout', message: 'The AI provider did not answer in time. Try again in a moment.' };
  }
  if (APICallError.isInstance(last) && typeof last.statusCode === 'number') {
    return { ...byStatus(last.statusCode, modelId), statusCode: last.statusCode };
  }
  const network = networkCause(last);
  if (network) return network;
  return {
    code: 'model_error',
    message:
      'The AI model could not answer. Try again; if it keeps failing, an admin can test the model in Settings → Models.',
  };
}

function byStatus(status: number, modelId: string | undefined): Omit<ModelErrorDescription, 'statusCode'> {
  const model = modelId ? `"${modelId}"` : 'this model';
  if (status === 401 || status === 403) {
    return {
      code: 'bad_key',
      message: `The AI provider refused the API key (HTTP ${status}): it is wrong, revoked or lacks access. ${FIX}`,
    };
  }
  if (status === 404) {
    return {
      code: 'unknown_model',
      message: `The AI provider does not know the model ${model} (HTTP 404), or the base URL is wrong. ${FIX}`,
    };
  }
  if (status === 429) {
    return {
      code: 'rate_limited',
      message:
        'The AI provider is rate limiting this key or its quota is used up (HTTP 429). Wait a minute and try again, or check the provider account.',
    };
  }
  if (status >= 500) {
    return {
      code: 'provider_unavailable',
      message: `The AI provider had a problem on its side (HTTP ${status}). Try again in a moment.`,
    };
  }
  return {
    code: 'request_refused',
    message: `The AI provider refused the request (HTTP ${status}): the model ${model} may not support tool calls, or its settings are wrong. ${FIX}`,
  };
}

/** Errors from fetch before any answer: refused connections, unknown hosts, ports fetch blocks. */
function networkCause(error: unknown): ModelErrorDescription | undefined {
  for (let cause = error, depth = 0; cause && depth < 6; depth++) {
    const { code, message } = cause as { code?: unknown; message?: unknown };
    if (message === 'bad port') {
      return {
        code: 'blocked_port',
        message: `The AI provider's base URL uses a port that fetch refuses for safety (such as 6000 or 10080). Serve the model on another port. ${FIX}`,
      };
    }
    if (
      code === 'ECONNREFUSED' ||
      code === 'ECONNRESET' ||
      code === 'EHOSTUNREACH' ||
      code === 'ENETUNREACH'
    ) {
      return {
        code: 'unreachable',
        message: `The AI provider's host refused the connection or cannot be reached (${code}). Check that the server is running and the base URL is right. ${FIX}`,
      };
    }
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      return {
        code: 'unreachable',
        message: `The AI provider's host name could not be resolved (${code}). Check the base URL. ${FIX}`,
      };
    }
    if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
      return { code: 'unreachable', message: `The AI provider's host did not answer (${code}). ${FIX}` };
    }
    cause = (cause as { cause?: unknown }).cause;
  }
  return undefined;
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}
