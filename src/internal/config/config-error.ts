/** A configuration problem that stops start-up; the message names the key path and what was expected. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    message: string,
    /** The dotted key path at fault, when one key is. */
    readonly keyPath?: string,
  ) {
    super(message);
  }
}
