// Shapes of the API's own state files: what the API keeps that NixOS never reads.

/** One password reset link: only the SHA-256 of its secret is kept, never the secret. */
export interface ResetLinkRecord {
  username: string;
  /** Hex SHA-256 of the link's secret. */
  secretHash: string;
  /** ISO 8601. */
  createdAt: string;
  expiresAt: string;
  /** Name of the device whose token asked for the link. */
  createdBy: string;
}

export interface ResetLinksFile {
  links: ResetLinkRecord[];
  [unknown: string]: unknown;
}

/** What the app shows of a user that userdata.json has no place for. */
export interface UserProfile {
  displayName?: string;
  [unknown: string]: unknown;
}

export interface UserProfilesFile {
  users: Record<string, UserProfile>;
  [unknown: string]: unknown;
}
