// Public keys for the SSH tests: real-shaped valid ones, and ones the API must refuse.
export const ED25519_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHvQ0Xq4WkQ1b9m1Xn0nN7kz2u1g6Zr1T0b8f7sLr0aQ new@laptop';
export const RSA_KEY =
  'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7Yf2pD1nJc3s9k1Vh0G8tN2m4q6r8s0u2w4y6A8C0E2G4I6K8M0O2Q4S6U8W0Y2a4c6e8g0i2k4m6o8q0s2u4w6y8A0C2E4G6I8K0M2O4Q6S8U0W2Y4a6c8e0g2i4k6m8o0q2s4u6w8y0A2C4E6G8I0K2M4O6Q8S0U2W4Y6a8c0e2g4i6k8m0o2q4s6u8w0y2A4C6E8G0I2K4M6O8Q0S2U4W6Y8a0c2e4g6i8k0m2o4q6s8u0w2y4A6C8E0G2I4K6M8 new@desktop';

/** Each must answer 400 when added. */
export const INVALID_KEYS: readonly string[] = [
  '',
  'ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTY= x@y',
  'ssh-dss AAAAB3NzaC1kc3MAAACBAP= x@y',
  ' ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHvQ leading-space',
  'command="rm -rf /" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHvQ with-options',
  `${ED25519_KEY}\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEvil second-line`,
  `${ED25519_KEY}\r\n`,
  `${ED25519_KEY}\u2028command="id" ssh-rsa AAAA`,
  'ssh-ed25519 AAAA\0after-nul',
  `ssh-rsa ${'A'.repeat(10 * 1024)}`,
];
