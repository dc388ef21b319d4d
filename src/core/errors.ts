/**
 * An error in something the user gave us: a file, an argument, a flag.
 * The CLI prints `message` on one line and exits with 2. Never carries a stack to the user.
 */
export class InputError extends Error {
  readonly input: string;
  readonly position?: string;

  constructor(input: string, message: string, position?: string) {
    super(`${input}${position ? `:${position}` : ''}: ${message}`);
    this.name = 'InputError';
    this.input = input;
    if (position !== undefined) this.position = position;
  }
}

export const isInputError = (error: unknown): error is InputError => error instanceof InputError;
