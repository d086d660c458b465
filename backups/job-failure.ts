// A backup or restore job's failure whose message is meant for the job's error and the status's error_message,
// and how any failure becomes such a message, with no secret in it.
import { HttpError } from '../core/errors.js';
import type { RunResult } from '../core/commands.js';
import type { Logger } from '../core/logger.js';
import { ResticSetupError, type ResticRepository } from './restic-command.js';
import { failureReason } from './restic-output.js';
import { isJsonObject } from './restored-userdata.js';

export class JobFailure extends Error {
  override readonly name = 'JobFailure';
}

/** Turns any failure into a message for error_message, with no secret in it. */
export function describeFailure(error: unknown, log: Logger): string {
  if (error instanceof JobFailure || error instanceof ResticSetupError) return error.message;
  if (error instanceof HttpError) {
    const detail = isJsonObject(error.body) && typeof error.body.error === 'string' ? error.body.error : error.message;
    return `The API could not use its files: ${detail}`;
  }
  log.error('backup controller failure', { errorName: (error as Error)?.name, errorMessage: (error as Error)?.message });
  return `Unexpected failure: ${(error as Error)?.message ?? String(error)}`;
}

/** A failed restic run as a JobFailure saying `what` failed and why, the repository's secrets left out. */
export function resticFailure(what: string, result: Pick<RunResult, 'exitCode' | 'stderr'>, repository: ResticRepository): JobFailure {
  if (result.exitCode === 127) return new JobFailure(`${what}: restic could not be started (is it installed and on the API's PATH?)`);
  if (result.exitCode === 124) return new JobFailure(`${what}: restic did not finish in time and was stopped`);
  const reason = failureReason(result.stderr, repository.secrets) ?? `restic exited with code ${result.exitCode}`;
  return new JobFailure(`${what}: ${reason}`);
}
