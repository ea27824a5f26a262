/** An error that is an answer: HTTP status, machine-readable code, a sentence, and details. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export interface Problem {
  path: string;
  message: string;
  /** Message key (English) and German text, for translated front ends. */
  key?: string;
  messageDe?: string;
}

export const notFound = (what: string, id: string) => new AppError(404, 'not_found', `${what} "${id}" was not found.`);
export const forbidden = (message: string) => new AppError(403, 'forbidden', message);
export const unauthorized = (message = 'Authentication required: send a valid API token.') => new AppError(401, 'unauthorized', message);
export const conflict = (message: string, details?: unknown) => new AppError(409, 'conflict', message, details);
export const invalid = (message: string, problems: Problem[]) => new AppError(422, 'invalid_dataset', message, problems);
export const badRequest = (message: string, details?: unknown) => new AppError(400, 'bad_request', message, details);
