/**
 * An error Haven expects and explains. `code` is stable (clients and tests match on it), `status` is the
 * HTTP status the one error handler answers with, and the message never carries personal data.
 */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: string,
    message: string,
    readonly status: number = 400,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const notFound = (code: string, what: string) => new AppError(code, `${what} not found`, 404);

/** A configuration value that cannot be used. The CLI prints the message on one line and exits with 2. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
