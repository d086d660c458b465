// Shape of userdata.json as NixOS reads it; every section may be missing on a real server.

export interface UserRecord {
  username: string;
  hashedPassword?: string;
  sshKeys?: string[];
  [unknown: string]: unknown;
}

export interface EnableSection {
  enable?: boolean;
  [unknown: string]: unknown;
}

export interface Userdata {
  username?: string;
  hashedMasterPassword?: string;
  sshKeys?: string[];
  users?: UserRecord[];
  ssh?: { enable?: boolean; passwordAuthentication?: boolean; rootKeys?: string[]; [unknown: string]: unknown };
  timezone?: string;
  autoUpgrade?: { enable?: boolean; allowReboot?: boolean; [unknown: string]: unknown };
  api?: { token?: string; enableSwagger?: boolean; skippedMigrations?: string[]; [unknown: string]: unknown };
  backblaze?: { accountId?: string; accountKey?: string; bucket?: string; [unknown: string]: unknown };
  domain?: string;
  [unknown: string]: unknown;
}
