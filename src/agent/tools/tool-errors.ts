/** The errors a tool call can raise: a refused input, and a Salesforce failure that ends the turn. */

/** A tool input we refuse before calling Salesforce (bad object, unsafe query, unknown cursor). */
export class ToolInputError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'ToolInputError';
    this.code = code;
  }
}

/**
 * Salesforce could not serve the call for a reason that is neither the model's nor a permission:
 * the org is down or out of API requests, a row is locked, the connection must be reconnected.
 * The turn stops with a message to the person instead of letting the model retry blindly.
 */
export class ToolFailure extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly needsReconnect: boolean;

  constructor(code: string, message: string, options: { retryable: boolean; needsReconnect?: boolean }) {
    super(message);
    this.name = 'ToolFailure';
    this.code = code;
    this.retryable = options.retryable;
    this.needsReconnect = options.needsReconnect ?? false;
  }
}
