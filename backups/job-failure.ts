// A backup or restore job's failure whose message is meant for the job's error and the status's error_message.
export class JobFailure extends Error {
  override readonly name = 'JobFailure';
}
