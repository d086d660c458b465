// The `ssh` section of userdata: sshd's switches, each `true` when unset, as NixOS defaults them.
import { internalError } from '../core/errors.js';
import type { Userdata } from '../store/userdata.js';

export type SshSection = NonNullable<Userdata['ssh']>;

export interface SshSettings {
  enable: boolean;
  passwordAuthentication: boolean;
}

/** The section for a change, created when missing; a non-object is a hand-edited file left alone. */
export function mutableSshSection(data: Userdata): SshSection {
  if (data.ssh === undefined || data.ssh === null) data.ssh = {};
  if (typeof data.ssh !== 'object' || Array.isArray(data.ssh)) {
    throw internalError('userdata.json: "ssh" is not an object; it was left untouched');
  }
  return data.ssh;
}

export function readSshSettings(data: Userdata): SshSettings {
  const ssh = typeof data.ssh === 'object' && data.ssh !== null ? data.ssh : {};
  return {
    enable: typeof ssh.enable === 'boolean' ? ssh.enable : true,
    passwordAuthentication: typeof ssh.passwordAuthentication === 'boolean' ? ssh.passwordAuthentication : true,
  };
}
